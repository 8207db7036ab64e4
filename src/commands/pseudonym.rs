//! `loggningsindex keygen` and `loggningsindex pseudonymize`, and the key
//! options `compute` shares.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use loggningsindex_pseudonym::{Key, PseudonymizeOptions, Pseudonymizer, pseudonymize_csv};
use loggningsindex_zone::{DEFAULT_ZONE, Zone};
use time::{Date, OffsetDateTime};

use super::EXIT_USAGE;

/// Options of `keygen`.
#[derive(Debug, clap::Args)]
pub(crate) struct KeygenArgs {
    /// Where to write the new key (created with mode 0600; never overwritten).
    keyfile: PathBuf,
}

/// The key options of `compute` and `pseudonymize`.
#[derive(Debug, clap::Args)]
pub(crate) struct KeyArgs {
    /// Pseudonymise identifiers on the fly with this key (see `keygen`).
    #[arg(long, value_name = "KEYFILE")]
    pub(crate) key_file: Option<PathBuf>,
    /// The date against which ten-digit personnummer get their century
    /// (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::generate::parse_date)]
    pub(crate) reference_date: Option<Date>,
}

impl KeyArgs {
    /// The reference date for ten-digit personnummer: `--reference-date`, or today.
    pub(crate) fn reference(&self) -> Date {
        self.reference_date
            .unwrap_or_else(|| OffsetDateTime::now_utc().date())
    }

    /// The pseudonymizer the options ask for, if any.
    pub(crate) fn pseudonymizer(&self) -> anyhow::Result<Option<Pseudonymizer>> {
        let Some(path) = &self.key_file else {
            return Ok(None);
        };
        let key = Key::load(path)?;
        Ok(Some(Pseudonymizer::new(key, self.reference())))
    }
}

/// Options of `pseudonymize`.
#[derive(Debug, clap::Args)]
pub(crate) struct PseudonymizeArgs {
    /// Event CSV file, or `-` for standard input.
    input: PathBuf,
    #[command(flatten)]
    key: KeyArgs,
    /// Write every rejected row (line, reason) to this CSV file.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// The sites' IANA time zone, for checking naive timestamps.
    #[arg(long, default_value = DEFAULT_ZONE, value_name = "TZ")]
    timezone: String,
    /// Copy this further column unchanged (repeatable). Only the event
    /// format's columns are written otherwise; whatever a kept column holds
    /// reaches the output as it is, so make sure it holds no identities.
    #[arg(long = "keep-column", value_name = "NAME")]
    keep_columns: Vec<String>,
    /// Write the pseudonymised file here instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(crate) fn keygen(args: &KeygenArgs) -> anyhow::Result<ExitCode> {
    Key::write_new(&args.keyfile)?;
    eprintln!(
        "loggningsindex: wrote a new key to {} (keep it apart from the data)",
        args.keyfile.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn pseudonymize(args: &PseudonymizeArgs) -> anyhow::Result<ExitCode> {
    let Some(mut pseudonymizer) = args.key.pseudonymizer()? else {
        eprintln!("loggningsindex: pseudonymize needs --key-file");
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let input = super::input(&args.input)?;
    let zone = match Zone::get(&args.timezone) {
        Ok(zone) => zone,
        Err(err) => {
            eprintln!("loggningsindex: {err}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let mut options = PseudonymizeOptions::default();
    options.zone = zone;
    options.keep_columns.clone_from(&args.keep_columns);
    let mut out = super::output(args.output.as_deref())?;
    let stats = match pseudonymize_csv(input, &mut out, &mut pseudonymizer, &options) {
        Ok(stats) => stats,
        Err(
            err @ (loggningsindex_pseudonym::FileError::Header(_)
            | loggningsindex_pseudonym::FileError::NoSuchColumn { .. }),
        ) => {
            eprintln!("loggningsindex: {err}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        Err(err) => return Err(err.into()),
    };
    out.flush()?;
    let rejects: Vec<(u64, String)> = stats
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.to_string()))
        .collect();
    let records = loggningsindex_bulk::Records {
        read: stats.read,
        accepted: stats.written,
        rejected: rejects.len() as u64,
    };
    super::compute::report_rejects(&records, &rejects, args.rejects.as_deref())?;
    if !stats.dropped_columns.is_empty() {
        eprintln!(
            "loggningsindex: dropped column(s) {} (keep one with --keep-column NAME)",
            stats.dropped_columns.join(", ")
        );
    }
    eprintln!(
        "loggningsindex: pseudonymised {} rows with {} distinct identifiers",
        stats.written,
        pseudonymizer.distinct()
    );
    Ok(ExitCode::SUCCESS)
}
