//! `loggningsindex competence …`: wiring only; the rules and files are
//! `loggningsindex_competence`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use loggningsindex_competence::{
    CompetenceCheck, check, expiring, last_companies, load_certificates, load_requirements,
    map_ids, suppress,
};
use loggningsindex_format::{IdMapper, Verbatim};
use loggningsindex_report::{DEFAULT_MIN_INDIVIDUALS, markdown_cell, percent, spreadsheet_cell};
use loggningsindex_zone::Zone;
use time::{Date, OffsetDateTime};

use super::EXIT_USAGE;
use super::generate::parse_date;

/// Output formats of `competence check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// JSON (docs/competence.md).
    Json,
    /// A Markdown table of the companies.
    Table,
    /// One CSV row per company and site.
    Csv,
}

/// `competence` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Competence {
    /// Every shift whose person lacked a certificate the site required on the
    /// shift's work day, per company and site (docs/competence.md).
    Check {
        /// The requirements file (`site`, `certificate`, optional `from`, `to`, `company`).
        requirements: PathBuf,
        /// The certificate file (`person`, `certificate`, `valid_from`, `valid_to`, `issuer`).
        certificates: PathBuf,
        /// The event file.
        events: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Fold site rows with fewer individuals than this into "(other)".
        #[arg(long, default_value_t = DEFAULT_MIN_INDIVIDUALS, value_name = "K")]
        min_individuals: u64,
        /// Also write each shift that lacked something (person, company, site,
        /// day, codes) to this CSV file — for the company's own follow-up.
        #[arg(long, value_name = "FILE")]
        list: Option<PathBuf>,
        /// Pseudonymise every file's ids as `compute --key-file` does.
        #[command(flatten)]
        key: super::pseudonym::KeyArgs,
        /// Write the result here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Certificates that expire within a window, soonest first (CSV).
    Expiring {
        /// The certificate file.
        certificates: PathBuf,
        /// The window: `30d` or a number of days.
        #[arg(long, value_parser = super::cards::parse_days, value_name = "DAYS")]
        within: i64,
        /// The day to look from (default: today).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        at: Option<Date>,
        /// An event file: adds the company each person last registered for.
        #[arg(long, value_name = "EVENTS.csv")]
        events: Option<PathBuf>,
        /// Write the CSV here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// A result, or the exit code of a usage error already reported.
type Step<T> = Result<T, ExitCode>;

fn usage<T>(err: loggningsindex_competence::Error) -> anyhow::Result<Step<T>> {
    if err.is_usage() {
        eprintln!("loggningsindex: {err}");
        Ok(Err(ExitCode::from(EXIT_USAGE)))
    } else {
        Err(err.into())
    }
}

pub(crate) fn run(command: &Competence) -> anyhow::Result<ExitCode> {
    let step = match command {
        Competence::Check {
            requirements,
            certificates,
            events,
            format,
            min_individuals,
            list,
            key,
            output,
        } => {
            let mut mapper: Box<dyn IdMapper> = match key.pseudonymizer()? {
                Some(p) => Box::new(p),
                None => Box::new(Verbatim),
            };
            let files = [
                requirements.as_path(),
                certificates.as_path(),
                events.as_path(),
            ];
            run_check(
                files,
                &mut *mapper,
                *format,
                *min_individuals,
                list.as_deref(),
                output.as_deref(),
            )?
        }
        Competence::Expiring {
            certificates,
            within,
            at,
            events,
            output,
        } => run_expiring(
            certificates,
            *within,
            *at,
            events.as_deref(),
            output.as_deref(),
        )?,
    };
    Ok(step.unwrap_or_else(|code| code))
}

fn run_check(
    [requirements, certificates, events]: [&Path; 3],
    mapper: &mut dyn IdMapper,
    format: Format,
    min: u64,
    list: Option<&Path>,
    output: Option<&Path>,
) -> anyhow::Result<Step<ExitCode>> {
    let (reqs, rejects) = match load_requirements(super::input(requirements)?) {
        Ok(loaded) => loaded,
        Err(err) => return usage(err),
    };
    super::print_rejects(requirements, &rejects);
    let (certs, rejects) = match load_certificates(super::input(certificates)?) {
        Ok(loaded) => loaded,
        Err(err) => return usage(err),
    };
    super::print_rejects(certificates, &rejects);
    let (reqs, certs, refused) = map_ids(&reqs, &certs, mapper);
    if refused > 0 {
        eprintln!(
            "loggningsindex: {refused} ids in the requirement or certificate file are not valid identity numbers; left out"
        );
    }
    let checked = match check(
        super::input(events)?,
        &reqs,
        &certs,
        &Zone::stockholm(),
        mapper,
    ) {
        Ok(checked) => checked,
        Err(err) => return usage(err),
    };
    super::print_rejects(events, &checked.rejects);
    if let Some(path) = list {
        let mut out = csv::Writer::from_path(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        out.write_record(["person", "company", "site", "work_day", "missing"])?;
        for s in &checked.shifts {
            out.write_record([
                spreadsheet_cell(&s.key.person).into_owned(),
                spreadsheet_cell(&s.key.company).into_owned(),
                spreadsheet_cell(&s.key.site).into_owned(),
                s.work_day.to_string(),
                s.missing.join(" "),
            ])?;
        }
        out.flush()?;
    }
    let result = suppress(&checked.result, min);
    let mut out = super::output(output)?;
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &result)?;
            out.write_all(b"\n")?;
        }
        Format::Csv => write_csv(&result, &mut out)?,
        Format::Table => write_table(&result, &mut out)?,
    }
    out.flush()?;
    Ok(Ok(ExitCode::SUCCESS))
}

fn missing_text(missing: &std::collections::BTreeMap<String, u64>) -> String {
    missing
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_csv(result: &CompetenceCheck, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "kind",
        "company",
        "site",
        "individuals",
        "shifts",
        "shifts_without_required",
        "missing",
    ])?;
    let t = &result.totals;
    w.write_record([
        "total",
        "",
        "",
        &t.individuals.to_string(),
        &t.shifts.to_string(),
        &t.shifts_without_required.to_string(),
        &missing_text(&t.missing),
    ])?;
    for c in &result.companies {
        let company = spreadsheet_cell(&c.company).into_owned();
        let g = &c.group;
        w.write_record([
            "company",
            &company,
            "",
            &g.individuals.to_string(),
            &g.shifts.to_string(),
            &g.shifts_without_required.to_string(),
            &missing_text(&g.missing),
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
                &g.shifts.to_string(),
                &g.shifts_without_required.to_string(),
                &missing_text(&g.missing),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn write_table(result: &CompetenceCheck, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "| company | shifts | without required certificate | with, % | missing |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---|")?;
    let share = |g: &loggningsindex_competence::CompetenceGroup| {
        percent(g.shifts - g.shifts_without_required, g.shifts)
            .map_or("–".to_string(), |p| format!("{p:.1}"))
    };
    for c in &result.companies {
        let g = &c.group;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            markdown_cell(&c.company),
            g.shifts,
            g.shifts_without_required,
            share(g),
            markdown_cell(&missing_text(&g.missing))
        )?;
    }
    let t = &result.totals;
    writeln!(
        out,
        "| **all** | {} | {} | {} | {} |",
        t.shifts,
        t.shifts_without_required,
        share(t),
        markdown_cell(&missing_text(&t.missing))
    )?;
    Ok(())
}

fn run_expiring(
    certificates: &Path,
    within: i64,
    at: Option<Date>,
    events: Option<&Path>,
    output: Option<&Path>,
) -> anyhow::Result<Step<ExitCode>> {
    let (certs, rejects) = match load_certificates(super::input(certificates)?) {
        Ok(loaded) => loaded,
        Err(err) => return usage(err),
    };
    super::print_rejects(certificates, &rejects);
    let companies = match events {
        Some(path) => match last_companies(super::input(path)?, &Zone::stockholm()) {
            Ok(companies) => Some(companies),
            Err(err) => return usage(err),
        },
        None => None,
    };
    let at = at.unwrap_or_else(|| OffsetDateTime::now_utc().date());
    let mut list = expiring(&certs, at, within);
    let company_of = |person: &str| {
        companies
            .as_ref()
            .and_then(|c| c.get(person).cloned())
            .unwrap_or_default()
    };
    if companies.is_some() {
        // Grouped by company, soonest first within each.
        list.sort_by_key(|c| (company_of(&c.person), c.valid_to));
    }
    let mut out = csv::Writer::from_writer(super::output(output)?);
    let mut header = vec!["person", "certificate", "valid_to", "issuer"];
    if companies.is_some() {
        header.insert(0, "company");
    }
    out.write_record(&header)?;
    for c in list {
        let mut row = vec![
            spreadsheet_cell(&c.person).into_owned(),
            c.code.clone(),
            c.valid_to.map(|d| d.to_string()).unwrap_or_default(),
            spreadsheet_cell(&c.issuer).into_owned(),
        ];
        if companies.is_some() {
            row.insert(0, spreadsheet_cell(&company_of(&c.person)).into_owned());
        }
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(Ok(ExitCode::SUCCESS))
}
