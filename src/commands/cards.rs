//! `loggningsindex cards …`.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use loggningsindex_cards::{CardRegister, check_events};
use loggningsindex_pseudonym::{Domain, Pseudonymizer};
use loggningsindex_report::spreadsheet_cell;
use loggningsindex_zone::Zone;
use time::{Date, OffsetDateTime};

use super::generate::parse_date;

/// `cards` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Cards {
    /// Per company, the cards that expire within a window, soonest first (CSV).
    Expiring {
        /// The card register (CSV; columns in the README).
        cards: PathBuf,
        /// The window: `30d` or a number of days.
        #[arg(long, value_parser = parse_days, value_name = "DAYS")]
        within: i64,
        /// The day to look from (default: today).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        at: Option<Date>,
    },
    /// Every company with a card active on some day of a year, with the number
    /// of such cards (CSV, for invoicing).
    FeeBasis {
        /// The card register.
        cards: PathBuf,
        /// The year.
        #[arg(long)]
        year: i32,
        /// A fee per card: adds a column with cards × fee (no price is assumed).
        #[arg(long, value_name = "AMOUNT")]
        fee: Option<f64>,
    },
    /// Registrations made with unknown, blocked, expired or not yet valid cards,
    /// per company, and each one listed (line, card, reason).
    Check {
        /// The card register.
        cards: PathBuf,
        /// Event CSV with a `card` column.
        events: PathBuf,
        /// Show companies and card numbers as keyed pseudonyms, for a report
        /// that goes to someone who need not see them.
        #[command(flatten)]
        key: super::pseudonym::KeyArgs,
    },
}

/// The longest `--within` window: a hundred years.
const MAX_DAYS: i64 = 36_525;

fn parse_days(text: &str) -> Result<i64, String> {
    let days: i64 = text
        .trim()
        .trim_end_matches('d')
        .parse()
        .map_err(|_| format!("not a number of days: {text:?} (write 30d or 30)"))?;
    if (0..=MAX_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(format!("{text:?}: the window must be 0 to {MAX_DAYS} days"))
    }
}

fn load_cards(path: &PathBuf) -> anyhow::Result<CardRegister> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let (register, rejects) = CardRegister::load(BufReader::new(file), &Zone::stockholm())?;
    for reject in &rejects {
        eprintln!(
            "loggningsindex: card file line {}: {}",
            reject.line, reject.reason
        );
    }
    Ok(register)
}

pub(crate) fn cards(command: &Cards) -> anyhow::Result<ExitCode> {
    let mut out = csv::Writer::from_writer(io::stdout().lock());
    match command {
        Cards::Expiring { cards, within, at } => {
            let register = load_cards(cards)?;
            let at = at.unwrap_or_else(|| OffsetDateTime::now_utc().date());
            out.write_record(["company", "card", "valid_to"])?;
            for (company, list) in register.expiring(at, *within) {
                for card in list {
                    out.write_record([
                        spreadsheet_cell(&company).into_owned(),
                        card.number.to_string(),
                        card.valid_to.to_string(),
                    ])?;
                }
            }
        }
        Cards::FeeBasis { cards, year, fee } => {
            let register = load_cards(cards)?;
            let mut header = vec!["company", "cards"];
            if fee.is_some() {
                header.push("fee");
            }
            out.write_record(&header)?;
            for (company, n) in register.fee_basis(*year) {
                let mut row = vec![spreadsheet_cell(&company).into_owned(), n.to_string()];
                if let Some(fee) = fee {
                    row.push(format!("{:.2}", *fee * n as f64));
                }
                out.write_record(&row)?;
            }
        }
        Cards::Check { cards, events, key } => {
            let shown = Shown(key.pseudonymizer()?);
            let register = load_cards(cards)?;
            let file =
                File::open(events).with_context(|| format!("cannot open {}", events.display()))?;
            let result = check_events(BufReader::new(file), &register, &Zone::stockholm())?;
            out.write_record(["company", "with_card", "without_card", "invalid_card"])?;
            for (company, c) in &result.companies {
                out.write_record([
                    shown.id(Domain::Company, company),
                    c.with_card.to_string(),
                    c.without_card.to_string(),
                    c.invalid.to_string(),
                ])?;
            }
            out.flush()?;
            let mut err = io::stderr().lock();
            for f in &result.findings {
                let card = shown.id(Domain::Card, &f.card.to_string());
                writeln!(err, "line {}: card {card}: {}", f.line, f.reason)?;
            }
            for r in &result.unreadable {
                writeln!(err, "line {}: unreadable: {}", r.line, r.reason)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// How identifiers are shown: as they are, or as keyed pseudonyms
/// (`--key-file`), always safe for spreadsheets.
pub(crate) struct Shown(pub(crate) Option<Pseudonymizer>);

impl Shown {
    pub(crate) fn id(&self, domain: Domain, raw: &str) -> String {
        match &self.0 {
            Some(p) => p
                .pseudonym(domain, raw)
                .unwrap_or_else(|e| format!("<invalid {}: {e}>", domain.prefix())),
            None => spreadsheet_cell(raw).into_owned(),
        }
    }
}
