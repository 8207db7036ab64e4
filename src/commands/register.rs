//! `loggningsindex cards …` and `loggningsindex ledger …`.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use loggningsindex_bulk::{Columns, parse_timestamp, trim};
use loggningsindex_pseudonym::{Domain, Pseudonymizer};
use loggningsindex_register::ledger::{self, Action, Correction, Entry, Registration};
use loggningsindex_register::{CardRegister, check_events, day, effective, present};
use loggningsindex_report::spreadsheet_cell;
use loggningsindex_zone::{DEFAULT_ZONE, Zone};
use time::{Date, OffsetDateTime};

use super::generate::parse_date;
use super::{EXIT_FAILURE, EXIT_USAGE};

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

/// `ledger` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Ledger {
    /// Append the rows of an event CSV to a ledger as registrations.
    Import {
        /// Event CSV (an optional `device` column is kept).
        events: PathBuf,
        /// The ledger file (created if missing).
        ledger: PathBuf,
    },
    /// Append a correction of an earlier registration (never an overwrite).
    Correct {
        /// The ledger file.
        ledger: PathBuf,
        /// The sequence number of the registration to correct.
        #[arg(long)]
        entry: u64,
        /// Why.
        #[arg(long)]
        reason: String,
        /// The registration should not have been made.
        #[arg(long, conflicts_with_all = ["at", "direction"])]
        void: bool,
        /// The right instant.
        #[arg(long, requires = "direction")]
        at: Option<String>,
        /// The right direction.
        #[arg(long, requires = "at")]
        direction: Option<String>,
    },
    /// Check the hash chain; name the first broken entry (exit 1) or print the head.
    Verify {
        /// The ledger file.
        ledger: PathBuf,
        /// A head published earlier (`SEQ:HASH`, from `ledger head`): the
        /// ledger must still hold that entry with that hash.
        #[arg(long, value_name = "SEQ:HASH")]
        head: Option<String>,
    },
    /// Verify the ledger and print its head (`SEQ:HASH`) to publish elsewhere,
    /// so that a later `verify --head` can prove nothing was changed since.
    Head {
        /// The ledger file.
        ledger: PathBuf,
    },
    /// Who is checked in at a site at a moment.
    Present {
        /// The ledger file.
        ledger: PathBuf,
        /// The site.
        #[arg(long)]
        site: String,
        /// The moment (RFC 3339, or local time in the site zone).
        #[arg(long)]
        at: String,
        /// Show people and companies as keyed pseudonyms.
        #[command(flatten)]
        key: super::pseudonym::KeyArgs,
    },
    /// The day's register of a site: each person's shifts, corrections applied and marked.
    Day {
        /// The ledger file.
        ledger: PathBuf,
        /// The site.
        #[arg(long)]
        site: String,
        /// The work day.
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        date: Date,
        /// Show people and companies as keyed pseudonyms.
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

pub(crate) fn ledger(command: &Ledger) -> anyhow::Result<ExitCode> {
    let zone = Zone::get(DEFAULT_ZONE)?;
    match command {
        Ledger::Import {
            events,
            ledger: path,
        } => {
            let file =
                File::open(events).with_context(|| format!("cannot open {}", events.display()))?;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(BufReader::new(file));
            let mut record = csv::ByteRecord::new();
            anyhow::ensure!(
                reader.read_byte_record(&mut record)?,
                "the event file has no header"
            );
            let columns = Columns::from_header(&record)?;
            let device = record
                .iter()
                .position(|h| trim(h).eq_ignore_ascii_case(b"device"));
            let mut offsets = zone.offsets();
            let mut entries = Vec::new();
            while reader.read_byte_record(&mut record)? {
                let line = record.position().map_or(0, |p| p.line());
                let text = |i: usize| String::from_utf8_lossy(trim(&record[i])).into_owned();
                if record.len() != columns.count {
                    eprintln!("loggningsindex: line {line}: wrong field count; not imported");
                    continue;
                }
                let at = text(columns.timestamp);
                if let Err(e) = parse_timestamp(&at, &mut offsets) {
                    eprintln!(
                        "loggningsindex: line {line}: bad timestamp: {}; not imported",
                        e.as_str()
                    );
                    continue;
                }
                let direction = text(columns.direction).to_ascii_uppercase();
                if !matches!(direction.as_str(), "IN" | "OUT" | "UT") {
                    eprintln!("loggningsindex: line {line}: unknown direction; not imported");
                    continue;
                }
                entries.push(Entry::Registration(Registration {
                    person: text(columns.person),
                    company: text(columns.company),
                    site: text(columns.site),
                    card: columns.card.map(&text).unwrap_or_default(),
                    at,
                    direction,
                    device: device.map(&text).unwrap_or_default(),
                }));
            }
            let head = ledger::append(path, &entries)?;
            eprintln!(
                "loggningsindex: appended {} registrations; head {} {}",
                entries.len(),
                head.seq,
                head.hash
            );
        }
        Ledger::Correct {
            ledger: path,
            entry,
            reason,
            void,
            at,
            direction,
        } => {
            let action = match (void, at, direction) {
                (true, _, _) => Action::Void,
                (false, Some(at), Some(direction)) => Action::Replace {
                    at: at.clone(),
                    direction: direction.clone(),
                },
                _ => {
                    eprintln!("loggningsindex: say --void, or --at and --direction");
                    return Ok(ExitCode::from(EXIT_USAGE));
                }
            };
            let head = ledger::append(
                path,
                &[Entry::Correction(Correction {
                    corrects: *entry,
                    reason: reason.clone(),
                    action,
                })],
            )?;
            eprintln!(
                "loggningsindex: appended correction {}; head {}",
                head.seq, head.hash
            );
        }
        Ledger::Verify {
            ledger: path,
            head: published,
        } => match ledger::verify(path, published.as_deref()) {
            Ok(head) => println!("ok: {} entries, head {}", head.seq, head.hash),
            Err(err @ loggningsindex_register::Error::Invalid { .. }) => {
                eprintln!("loggningsindex: {err}");
                return Ok(ExitCode::from(EXIT_USAGE));
            }
            Err(err) => {
                eprintln!("loggningsindex: {err}");
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        },
        Ledger::Head { ledger: path } => match ledger::verify(path, None) {
            Ok(head) => println!("{}", head.published()),
            Err(err) => {
                eprintln!("loggningsindex: {err}");
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        },
        Ledger::Present {
            ledger: path,
            site,
            at,
            key,
        } => {
            let shown = Shown(key.pseudonymizer()?);
            let (entries, _) = ledger::read(path)?;
            let regs = effective(&entries, &zone)?;
            let moment = parse_timestamp(at, &mut zone.offsets())
                .map_err(|e| anyhow::anyhow!("--at: {}", e.as_str()))?;
            let mut out = csv::Writer::from_writer(io::stdout().lock());
            out.write_record(["person", "company", "since"])?;
            for p in present(&regs, site, moment) {
                out.write_record([
                    shown.id(Domain::Person, &p.person),
                    shown.id(Domain::Company, &p.company),
                    p.since.to_string(),
                ])?;
            }
            out.flush()?;
        }
        Ledger::Day {
            ledger: path,
            site,
            date,
            key,
        } => {
            let shown = Shown(key.pseudonymizer()?);
            let (entries, _) = ledger::read(path)?;
            let regs = effective(&entries, &zone)?;
            let mut out = csv::Writer::from_writer(io::stdout().lock());
            out.write_record([
                "person",
                "company",
                "start",
                "end",
                "class",
                "registrations",
                "corrected",
            ])?;
            for s in day(&regs, site, *date) {
                out.write_record([
                    shown.id(Domain::Person, &s.person),
                    shown.id(Domain::Company, &s.company),
                    s.start.to_string(),
                    s.end.to_string(),
                    s.class.to_string(),
                    s.registrations.to_string(),
                    if s.corrected {
                        "corrected".into()
                    } else {
                        String::new()
                    },
                ])?;
            }
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// How identifiers are shown: as they are, or as keyed pseudonyms
/// (`--key-file`), always safe for spreadsheets.
struct Shown(Option<Pseudonymizer>);

impl Shown {
    fn id(&self, domain: Domain, raw: &str) -> String {
        match &self.0 {
            Some(p) => p
                .pseudonym(domain, raw)
                .unwrap_or_else(|e| format!("<invalid {}: {e}>", domain.prefix())),
            None => spreadsheet_cell(raw).into_owned(),
        }
    }
}
