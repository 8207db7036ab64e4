//! `loggningsindex notices …`: wiring only; the rules are
//! `loggningsindex_register::check_notices`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use loggningsindex_format::{IdMapper, Verbatim};
use loggningsindex_register::{NoticeCheck, check_notices, load_notices, suppress_notices};
use loggningsindex_report::{DEFAULT_MIN_INDIVIDUALS, markdown_cell, percent, spreadsheet_cell};
use loggningsindex_zone::Zone;

use super::EXIT_USAGE;
use super::competence::Format;

/// `notices` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Notices {
    /// Per company and site, registrations by people the company did not
    /// announce for that site that day (docs/ledger.md, "Staff notices").
    Check {
        /// The notice file (`site`, `company`, `person`, `card`, `from`, `to`, optional `name`).
        notices: PathBuf,
        /// The event file.
        events: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Fold site rows with fewer individuals than this into "(other)".
        #[arg(long, default_value_t = DEFAULT_MIN_INDIVIDUALS, value_name = "K")]
        min_individuals: u64,
        /// Also write each unannounced registration (line, person, company,
        /// site, day) to this CSV file — for the site's own follow-up.
        #[arg(long, value_name = "FILE")]
        list: Option<PathBuf>,
        /// Pseudonymise both files' ids as `compute --key-file` does.
        #[command(flatten)]
        key: super::pseudonym::KeyArgs,
        /// Write the result here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub(crate) fn run(command: &Notices) -> anyhow::Result<ExitCode> {
    let Notices::Check {
        notices,
        events,
        format,
        min_individuals,
        list,
        key,
        output,
    } = command;
    let mut mapper: Box<dyn IdMapper> = match key.pseudonymizer()? {
        Some(p) => Box::new(p),
        None => Box::new(Verbatim),
    };
    let (announced, rejects) = match load_notices(super::input(notices)?) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("loggningsindex: {err}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    super::print_rejects(notices, &rejects);
    let (check, unannounced, rejects) = match check_notices(
        super::input(events)?,
        &announced,
        &Zone::stockholm(),
        &mut *mapper,
    ) {
        Ok(checked) => checked,
        Err(err @ loggningsindex_register::Error::Events(_)) => {
            eprintln!("loggningsindex: {err}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        Err(err) => return Err(err.into()),
    };
    super::print_rejects(events, &rejects);
    if let Some(path) = list {
        let mut out = csv::Writer::from_path(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        out.write_record(["line", "person", "company", "site", "day"])?;
        for u in &unannounced {
            out.write_record([
                u.line.to_string(),
                spreadsheet_cell(&u.person).into_owned(),
                spreadsheet_cell(&u.company).into_owned(),
                spreadsheet_cell(&u.site).into_owned(),
                u.day.to_string(),
            ])?;
        }
        out.flush()?;
    }
    let check = suppress_notices(&check, *min_individuals);
    let mut out = super::output(output.as_deref())?;
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &check)?;
            out.write_all(b"\n")?;
        }
        Format::Csv => write_csv(&check, &mut out)?,
        Format::Table => write_table(&check, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_csv(check: &NoticeCheck, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "kind",
        "company",
        "site",
        "individuals",
        "registrations",
        "unannounced",
        "announced_never_seen",
    ])?;
    let t = &check.totals;
    w.write_record([
        "total",
        "",
        "",
        &t.individuals.to_string(),
        &t.registrations.to_string(),
        &t.unannounced.to_string(),
        "",
    ])?;
    for c in &check.companies {
        let company = spreadsheet_cell(&c.company).into_owned();
        let g = &c.group;
        w.write_record([
            "company",
            &company,
            "",
            &g.individuals.to_string(),
            &g.registrations.to_string(),
            &g.unannounced.to_string(),
            "",
        ])?;
        for s in &c.sites {
            let g = &s.group;
            let individuals = if s.folded.is_some() {
                String::new()
            } else {
                g.individuals.to_string()
            };
            w.write_record([
                "company-site",
                &company,
                &spreadsheet_cell(&s.site),
                &individuals,
                &g.registrations.to_string(),
                &g.unannounced.to_string(),
                &s.announced_never_seen.to_string(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn write_table(check: &NoticeCheck, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "| company | registrations | by people not announced | announced, % |"
    )?;
    writeln!(out, "|---|---:|---:|---:|")?;
    let share = |g: &loggningsindex_register::NoticeGroup| {
        percent(g.registrations - g.unannounced, g.registrations)
            .map_or("–".to_string(), |p| format!("{p:.1}"))
    };
    for c in &check.companies {
        let g = &c.group;
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            markdown_cell(&c.company),
            g.registrations,
            g.unannounced,
            share(g)
        )?;
    }
    let t = &check.totals;
    writeln!(
        out,
        "| **all** | {} | {} | {} |",
        t.registrations,
        t.unannounced,
        share(t)
    )?;
    Ok(())
}
