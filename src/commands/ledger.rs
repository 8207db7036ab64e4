//! `loggningsindex ledger …`: wiring only; the ledger is
//! `loggningsindex_register::ledger`.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use loggningsindex_core::{Direction, Timestamp};
use loggningsindex_format::{parse_direction, parse_timestamp};
use loggningsindex_pseudonym::Domain;
use loggningsindex_register::ledger::{self, Action, Correction, Entry};
use loggningsindex_register::{day, effective, present};
use loggningsindex_report::spreadsheet_cell;
use loggningsindex_zone::Zone;
use time::Date;

use super::cards::Shown;
use super::generate::parse_date;
use super::{EXIT_FAILURE, EXIT_USAGE};

/// Formats of `ledger extract`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ExtractFormat {
    /// One printable HTML page with the head and how to verify it.
    Html,
    /// One CSV row per registration.
    Csv,
}

/// `ledger` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Ledger {
    /// Write the register service's ledger to a ledger file (and its head
    /// file) that `ledger verify` checks; prints the head.
    Export {
        #[command(flatten)]
        db: super::service::DbArgs,
        /// The ledger file to write (must not exist).
        #[arg(short = 'o', long, value_name = "FILE")]
        output: PathBuf,
    },
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
        /// The right instant (RFC 3339, or local time in the site zone).
        #[arg(long, requires = "direction", value_parser = parse_instant, value_name = "TIMESTAMP")]
        at: Option<Timestamp>,
        /// The right direction (`IN`, `OUT`, `UT`).
        #[arg(long, requires = "at", value_parser = parse_way, value_name = "DIRECTION")]
        direction: Option<Direction>,
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
        #[arg(long, value_parser = parse_instant, value_name = "TIMESTAMP")]
        at: Timestamp,
        /// Show people and companies as keyed pseudonyms.
        #[command(flatten)]
        key: super::pseudonym::KeyArgs,
        /// Write the CSV here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
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
        /// Write the CSV here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The register extract for an inspection: every registration at a site
    /// in a period, with its corrections and their reasons, and the head.
    Extract {
        /// The ledger file.
        ledger: PathBuf,
        /// The site.
        #[arg(long)]
        site: String,
        /// The first local day.
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        from: Date,
        /// The last local day.
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        to: Date,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Html)]
        format: ExtractFormat,
        /// Write here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Register faults per company (JSON): double check-ins from two devices
    /// within a minute, registrations stored twice — for `report --faults`.
    Faults {
        /// The ledger file.
        ledger: PathBuf,
        /// Write here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Delete the entries whose retention ended (two years after the end of
    /// the calendar year they were recorded in); a dry run unless --apply.
    Prune {
        /// The ledger file.
        ledger: PathBuf,
        /// The day to judge retention on.
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        at: Date,
        /// Delete; without it, only say what would be deleted.
        #[arg(long)]
        apply: bool,
    },
}

/// A timestamp as in event files, local times in Europe/Stockholm.
fn parse_instant(text: &str) -> Result<Timestamp, String> {
    parse_timestamp(text, &mut Zone::stockholm().offsets()).map_err(|e| e.as_str().to_string())
}

fn parse_way(text: &str) -> Result<Direction, String> {
    parse_direction(text.as_bytes()).map_err(|_| "expected IN, OUT or UT".to_string())
}

pub(crate) fn run(command: &Ledger) -> anyhow::Result<ExitCode> {
    match command {
        Ledger::Export { db, output } => super::service::export(db, output),
        Ledger::Import {
            events,
            ledger: path,
        } => import(events, path),
        Ledger::Correct {
            ledger: path,
            entry,
            reason,
            void,
            at,
            direction,
        } => correct(path, *entry, reason, (*void, *at, *direction)),
        Ledger::Verify {
            ledger: path,
            head: published,
        } => verify(path, published.as_deref(), |head| {
            println!("ok: {} entries, head {}", head.seq, head.hash);
        }),
        Ledger::Head { ledger: path } => {
            verify(path, None, |head| println!("{}", head.published()))
        }
        Ledger::Present {
            ledger: path,
            site,
            at,
            key,
            output,
        } => present_at(
            path,
            site,
            *at,
            &Shown(key.pseudonymizer()?),
            output.as_deref(),
        ),
        Ledger::Day {
            ledger: path,
            site,
            date,
            key,
            output,
        } => day_of(
            path,
            site,
            *date,
            &Shown(key.pseudonymizer()?),
            output.as_deref(),
        ),
        Ledger::Prune {
            ledger: path,
            at,
            apply,
        } => prune_at(path, *at, *apply),
        Ledger::Faults {
            ledger: path,
            output,
        } => faults_of(path, output.as_deref()),
        Ledger::Extract {
            ledger: path,
            site,
            from,
            to,
            format,
            output,
        } => extract_of(path, site, (*from, *to), *format, output.as_deref()),
    }
}

fn prune_at(path: &Path, at: Date, apply: bool) -> anyhow::Result<ExitCode> {
    let plan = ledger::prune(path, at, apply, None)?;
    let verb = if apply {
        "deleted"
    } else {
        "would delete (dry run; --apply deletes)"
    };
    println!(
        "{verb}: {} registrations and {} corrections, through entry {}; {} entries whose retention ended wait behind later ones",
        plan.registrations, plan.corrections, plan.through, plan.waiting
    );
    Ok(ExitCode::SUCCESS)
}

fn faults_of(path: &Path, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    let (entries, _) = ledger::read(path)?;
    let mut out = super::output(output)?;
    serde_json::to_writer_pretty(&mut out, &loggningsindex_register::faults(&entries))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn correct(
    path: &Path,
    entry: u64,
    reason: &str,
    (void, at, direction): (bool, Option<Timestamp>, Option<Direction>),
) -> anyhow::Result<ExitCode> {
    let action = match (void, at, direction) {
        (true, _, _) => Action::Void,
        (false, Some(at), Some(direction)) => Action::Replace { at, direction },
        _ => {
            eprintln!("loggningsindex: say --void, or --at and --direction");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let correction = Correction {
        corrects: entry,
        reason: reason.to_string(),
        action,
    };
    let head = ledger::append(path, &[Entry::Correction(correction)])?;
    eprintln!(
        "loggningsindex: appended correction {}; head {}",
        head.seq, head.hash
    );
    Ok(ExitCode::SUCCESS)
}

fn import(events: &Path, path: &Path) -> anyhow::Result<ExitCode> {
    let file = File::open(events).with_context(|| format!("cannot open {}", events.display()))?;
    let (entries, rejects) = match ledger::import_events(BufReader::new(file), &Zone::stockholm()) {
        Ok(read) => read,
        Err(err @ loggningsindex_register::Error::Events(_)) => {
            eprintln!("loggningsindex: {err}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        Err(err) => return Err(err.into()),
    };
    for reject in &rejects {
        eprintln!(
            "loggningsindex: line {}: {}; not imported",
            reject.line, reject.reason
        );
    }
    let head = ledger::append(path, &entries)?;
    eprintln!(
        "loggningsindex: appended {} registrations ({} rows not imported); head {} {}",
        entries.len(),
        rejects.len(),
        head.seq,
        head.hash
    );
    Ok(ExitCode::SUCCESS)
}

fn verify(
    path: &Path,
    published: Option<&str>,
    show: impl FnOnce(&ledger::Head),
) -> anyhow::Result<ExitCode> {
    match ledger::verify(path, published) {
        Ok(head) => {
            show(&head);
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("loggningsindex: {err}");
            let usage = matches!(err, loggningsindex_register::Error::HeadFormat);
            Ok(ExitCode::from(if usage {
                EXIT_USAGE
            } else {
                EXIT_FAILURE
            }))
        }
    }
}

fn present_at(
    path: &Path,
    site: &str,
    at: Timestamp,
    shown: &Shown,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let (entries, _) = ledger::read(path)?;
    let regs = effective(&entries)?;
    let mut out = csv::Writer::from_writer(super::output(output)?);
    out.write_record(["person", "company", "since"])?;
    for p in present(&regs, site, at) {
        out.write_record([
            shown.id(Domain::Person, &p.person),
            shown.id(Domain::Company, &p.company),
            p.since.to_string(),
        ])?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn day_of(
    path: &Path,
    site: &str,
    date: Date,
    shown: &Shown,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let (entries, _) = ledger::read(path)?;
    let regs = effective(&entries)?;
    let mut out = csv::Writer::from_writer(super::output(output)?);
    out.write_record([
        "person",
        "company",
        "start",
        "end",
        "class",
        "registrations",
        "corrected",
    ])?;
    for s in day(&regs, site, date) {
        out.write_record([
            shown.id(Domain::Person, &s.person),
            shown.id(Domain::Company, &s.company),
            s.start.to_string(),
            s.end.to_string(),
            s.class.to_string(),
            s.registrations.to_string(),
            if s.corrected { "corrected" } else { "" }.to_string(),
        ])?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn extract_of(
    path: &Path,
    site: &str,
    period: (Date, Date),
    format: ExtractFormat,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    if period.1 < period.0 {
        eprintln!("loggningsindex: --to is before --from");
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let (entries, head) = ledger::read(path)?;
    let rows = loggningsindex_register::extract(&entries, site, period.0, period.1);
    let mut out = super::output(output)?;
    match format {
        ExtractFormat::Html => loggningsindex_register::write_extract_html(
            &rows,
            site,
            period,
            &head,
            &path.display().to_string(),
            &mut out,
        )?,
        ExtractFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "seq",
                "person",
                "company",
                "card",
                "at",
                "direction",
                "device",
                "corrections",
            ])?;
            for r in &rows {
                let corrections: Vec<String> = r
                    .corrections
                    .iter()
                    .map(|(seq, reason, what)| format!("#{seq}: {what} ({reason})"))
                    .collect();
                w.write_record([
                    r.seq.to_string(),
                    spreadsheet_cell(&r.person).into_owned(),
                    spreadsheet_cell(&r.company).into_owned(),
                    spreadsheet_cell(&r.card).into_owned(),
                    r.at.to_string(),
                    r.direction.to_string(),
                    spreadsheet_cell(&r.device).into_owned(),
                    spreadsheet_cell(&corrections.join("; ")).into_owned(),
                ])?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
