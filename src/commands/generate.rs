//! `loggningsindex generate`: a synthetic register as event CSV.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use loggningsindex_synth::national as preset;
use loggningsindex_synth::{CsvOptions, Order, Population, workforce_for_events, write_csv};
use time::Date;
use time::macros::date;
use time::macros::format_description;

/// Options of `generate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// How many events to write (the population is sized to match, unless
    /// --people says how many people).
    #[arg(long)]
    events: Option<u64>,
    /// How many people (at least); with --sites and --sole-traders, the
    /// national shape: Zipf-like site popularity, many one-person firms.
    #[arg(long, value_name = "N")]
    people: Option<usize>,
    /// How many sites, with --people (default: one per 25 people).
    #[arg(long, value_name = "N", requires = "people")]
    sites: Option<usize>,
    /// Percent of companies that are one person, with --people (default 55).
    #[arg(long, value_name = "PERCENT", requires = "people", value_parser = clap::value_parser!(u32).range(0..=100))]
    sole_traders: Option<u32>,
    /// A documented population (docs/performance.md): `national` is every
    /// large site in Sweden — 380 000 people, about 55 000 companies, 15 000
    /// sites, 10 M events over 2026-03-02 to 2026-03-20 unless set otherwise.
    #[arg(long, value_enum, value_name = "NAME")]
    preset: Option<Preset>,
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

/// Documented populations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Preset {
    /// Every large site in Sweden, at 10 M events.
    National,
}

/// What to generate, after the preset and the options are combined.
struct Plan {
    events: u64,
    people: Option<usize>,
    sites: Option<usize>,
    sole_traders: u32,
    from: Date,
    to: Date,
}

impl Plan {
    fn of(args: &Args) -> Plan {
        let national = args.preset == Some(Preset::National);
        let default_from = date!(2026 - 01 - 01);
        let default_to = date!(2026 - 12 - 31);
        let (from, to) = if national && args.from == default_from && args.to == default_to {
            preset::days()
        } else {
            (args.from, args.to)
        };
        Plan {
            events: args
                .events
                .unwrap_or(if national { preset::EVENTS } else { 100_000 }),
            people: args.people.or(national.then_some(preset::PEOPLE)),
            sites: args.sites.or(national.then_some(preset::SITES)),
            sole_traders: args.sole_traders.unwrap_or(preset::SOLE_TRADERS_PERCENT),
            from,
            to,
        }
    }
}

/// The population the plan asks for: of a given number of people in the
/// national shape, or sized to yield the events asked for.
fn population(args: &Args, plan: &Plan) -> anyhow::Result<Population> {
    let builder = |workforce: usize| {
        Population::builder()
            .seed(args.seed)
            .workforce(workforce)
            .dates(plan.from, plan.to)
            .pseudonymised(args.pseudonymised)
    };
    if let Some(people) = plan.people {
        let sites = plan.sites.unwrap_or(people / 25).max(1);
        return Ok(builder(people).national(plan.sole_traders, sites).build()?);
    }
    let days = u32::try_from((plan.to - plan.from).whole_days() + 1).unwrap_or(1);
    let mut workforce = workforce_for_events(plan.events, days).max(1);
    loop {
        let population = builder(workforce).build()?;
        // A small population varies a lot around its forecast: count first
        // (cheap at this size) and grow it until it yields enough events. A
        // large one has 10 % headroom, far beyond its variation.
        let enough = plan.events > SMALL
            || population.events().take(plan.events as usize).count() as u64 == plan.events;
        if enough || workforce > 1 << 24 {
            return Ok(population);
        }
        workforce = workforce * 3 / 2 + 1;
    }
}

/// Up to this many events, `generate` checks that the population yields enough.
const SMALL: u64 = 2_000_000;

pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|e| format!("not a date written YYYY-MM-DD: {e}"))
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let plan = Plan::of(args);
    if plan.to < plan.from {
        eprintln!(
            "loggningsindex: --to {} is before --from {}",
            plan.to, plan.from
        );
        return Ok(ExitCode::from(super::EXIT_USAGE));
    }
    let population = population(args, &plan)?;
    let options = CsvOptions {
        order: if args.shuffled {
            Order::Shuffled
        } else {
            Order::Sorted
        },
        bad_rows: args.bad_rows,
        limit: Some(plan.events),
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let bar = super::progress_bar(Some(plan.events), "generating");
    let stats = write_csv(
        &population,
        &options,
        BufWriter::with_capacity(1 << 20, out),
        |n| {
            bar.set_position(n);
        },
    )?;
    bar.finish_and_clear();
    if stats.events < plan.events {
        eprintln!(
            "loggningsindex: the population produced only {} of {} events",
            stats.events, plan.events
        );
    }
    Ok(ExitCode::SUCCESS)
}
