//! `loggningsindex generate`: a synthetic register as event CSV.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use loggningsindex_synth::{CsvOptions, Order, Population, workforce_for_events, write_csv};
use time::Date;
use time::macros::format_description;

/// Options of `generate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// How many events to write (the population is sized to match).
    #[arg(long, default_value_t = 100_000)]
    events: u64,
    /// Seed: the same seed and options give byte-identical output.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Rows in time order, as a register exports them (the default).
    #[arg(long, conflicts_with = "shuffled")]
    sorted: bool,
    /// Rows in a seeded random order (holds all events in memory).
    #[arg(long)]
    shuffled: bool,
    /// Insert this many deliberately unreadable rows (extra rows).
    #[arg(long, default_value_t = 0, value_name = "R")]
    bad_rows: u64,
    /// Write pseudonym tokens instead of identity numbers.
    #[arg(long)]
    pseudonymised: bool,
    /// First work day (YYYY-MM-DD).
    #[arg(long, default_value = "2026-01-01", value_parser = parse_date)]
    from: Date,
    /// Last work day (YYYY-MM-DD).
    #[arg(long, default_value = "2026-12-31", value_parser = parse_date)]
    to: Date,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Up to this many events, `generate` checks that the population yields enough.
const SMALL: u64 = 2_000_000;

pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|e| format!("not a date written YYYY-MM-DD: {e}"))
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.to < args.from {
        eprintln!(
            "loggningsindex: --to {} is before --from {}",
            args.to, args.from
        );
        return Ok(ExitCode::from(super::EXIT_USAGE));
    }
    let days = u32::try_from((args.to - args.from).whole_days() + 1).unwrap_or(1);
    let mut workforce = workforce_for_events(args.events, days).max(1);
    let population = loop {
        let population = Population::builder()
            .seed(args.seed)
            .workforce(workforce)
            .dates(args.from, args.to)
            .pseudonymised(args.pseudonymised)
            .build()?;
        // A small population varies a lot around its forecast: count first
        // (cheap at this size) and grow it until it yields enough events. A
        // large one has 10 % headroom, far beyond its variation.
        let enough = args.events > SMALL
            || population.events().take(args.events as usize).count() as u64 == args.events;
        if enough || workforce > 1 << 24 {
            break population;
        }
        workforce = workforce * 3 / 2 + 1;
    };
    let options = CsvOptions {
        order: if args.shuffled {
            Order::Shuffled
        } else {
            Order::Sorted
        },
        bad_rows: args.bad_rows,
        limit: Some(args.events),
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let bar = super::progress_bar(Some(args.events), "generating");
    let stats = write_csv(
        &population,
        &options,
        BufWriter::with_capacity(1 << 20, out),
        |n| {
            bar.set_position(n);
        },
    )?;
    bar.finish_and_clear();
    if stats.events < args.events {
        eprintln!(
            "loggningsindex: the population produced only {} of {} events",
            stats.events, args.events
        );
    }
    Ok(ExitCode::SUCCESS)
}
