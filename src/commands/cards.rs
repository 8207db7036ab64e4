//! `loggningsindex cards …`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use loggningsindex_cards::{CardRegister, check_events};
use loggningsindex_format::{IdColumn, IdMapper};
use loggningsindex_pseudonym::{Canonicalizer, Domain, Pseudonymizer};
use loggningsindex_report::spreadsheet_cell;
use loggningsindex_zone::Zone;
use time::{Date, OffsetDateTime};

use super::EXIT_USAGE;
use super::generate::parse_date;

/// `cards` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Cards {
    /// Load a card register into the register service's database (cards
    /// already there are replaced; blocks made through the service are kept).
    Import {
        #[command(flatten)]
        db: super::service::DbArgs,
        /// The card register (CSV; columns in the README).
        cards: PathBuf,
    },
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
        /// Write the CSV here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
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
        #[arg(long, value_name = "AMOUNT", value_parser = parse_fee)]
        fee: Option<f64>,
        /// Write the CSV here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Registrations made with unknown, blocked, expired or not yet valid cards,
    /// per company, and each one listed (line, card, reason).
    Check {
        /// The card register.
        cards: PathBuf,
        /// Event CSV with a `card` column, or `-` for standard input.
        events: PathBuf,
        /// Write the CSV here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Show companies and card numbers as keyed pseudonyms, for a report
        /// that goes to someone who need not see them.
        #[command(flatten)]
        key: super::pseudonym::KeyArgs,
    },
}

/// The longest `--within` window: a hundred years.
const MAX_DAYS: i64 = 36_525;

pub(crate) fn parse_days(text: &str) -> Result<i64, String> {
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

/// A fee: a finite amount, not negative.
fn parse_fee(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(fee) if fee.is_finite() && fee >= 0.0 => Ok(fee),
        _ => Err(format!("{text:?}: a fee is an amount of 0 or more")),
    }
}

pub(super) fn load_cards(path: &Path) -> anyhow::Result<Result<CardRegister, ExitCode>> {
    let (register, rejects) = match CardRegister::load(super::input(path)?, &Zone::stockholm()) {
        Ok(loaded) => loaded,
        Err(err) if err.is_usage() => {
            eprintln!("loggningsindex: {}: {err}", path.display());
            return Ok(Err(ExitCode::from(EXIT_USAGE)));
        }
        Err(err) => return Err(err.into()),
    };
    super::print_rejects(path, &rejects);
    Ok(Ok(register))
}

pub(crate) fn cards(command: &Cards) -> anyhow::Result<ExitCode> {
    match command {
        Cards::Import { db, cards } => return super::service::import_cards(db, cards),
        Cards::Expiring {
            cards,
            within,
            at,
            output,
        } => {
            let register = match load_cards(cards)? {
                Ok(register) => register,
                Err(code) => return Ok(code),
            };
            let at = at.unwrap_or_else(|| OffsetDateTime::now_utc().date());
            let mut out = csv::Writer::from_writer(super::output(output.as_deref())?);
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
            out.flush()?;
        }
        Cards::FeeBasis {
            cards,
            year,
            fee,
            output,
        } => {
            let register = match load_cards(cards)? {
                Ok(register) => register,
                Err(code) => return Ok(code),
            };
            fee_basis(&register, *year, *fee, output.as_deref())?;
        }
        Cards::Check {
            cards,
            events,
            key,
            output,
        } => {
            return check(
                cards,
                events,
                &Shown(key.pseudonymizer()?),
                output.as_deref(),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One row per company (one invoice per company: the spellings of one
/// organisationsnummer are one company).
fn fee_basis(
    register: &CardRegister,
    year: i32,
    fee: Option<f64>,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let mut out = csv::Writer::from_writer(super::output(output)?);
    let mut header = vec!["company", "cards"];
    if fee.is_some() {
        header.push("fee");
    }
    out.write_record(&header)?;
    let mut ids = Canonicalizer::new(OffsetDateTime::now_utc().date());
    let mut by_company: BTreeMap<String, u64> = BTreeMap::new();
    for (company, n) in register.fee_basis(year) {
        let id = ids.map(IdColumn::Company, &company).unwrap_or(company);
        *by_company.entry(id).or_insert(0) += n;
    }
    for (id, n) in by_company {
        let shown = ids.display(Domain::Company, &id);
        let mut row = vec![spreadsheet_cell(shown).into_owned(), n.to_string()];
        if let Some(fee) = fee {
            row.push(format!("{:.2}", fee * n as f64));
        }
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(())
}

fn check(
    cards: &Path,
    events: &Path,
    shown: &Shown,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let register = match load_cards(cards)? {
        Ok(register) => register,
        Err(code) => return Ok(code),
    };
    let result = match check_events(super::input(events)?, &register, &Zone::stockholm()) {
        Ok(result) => result,
        Err(err) if err.is_usage() => {
            eprintln!("loggningsindex: {}: {err}", events.display());
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        Err(err) => return Err(err.into()),
    };
    let mut out = csv::Writer::from_writer(super::output(output)?);
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
