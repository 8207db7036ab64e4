//! `loggningsindex report` and `loggningsindex demo`.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use loggningsindex_bulk::{Options, Verbatim, compute};
use loggningsindex_pseudonym::{Domain, canonical, looks_swedish, same_identity};
use loggningsindex_report::{
    CardCheck, CompetenceShare, DEFAULT_MIN_INDIVIDUALS, FaultCounts, HtmlOptions, Report,
    suppress, write_csv, write_html, write_json, write_table,
};
use loggningsindex_synth::{CsvOptions, CsvStats, Population, write_csv as write_events};
use time::Date;
use time::macros::date;

use super::EXIT_USAGE;

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// One self-contained HTML page with charts.
    Html,
    /// A Markdown table, companies worst first.
    Markdown,
    /// One CSV row per group.
    Csv,
    /// The JSON result (docs/formats.md).(after suppression).
    Json,
}

/// Options of `report`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A result written by `compute --format json` (or `merge`), or `-` for
    /// standard input.
    result: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// Fold site and month rows with fewer individuals than this into "(other)".
    #[arg(long, default_value_t = DEFAULT_MIN_INDIVIDUALS, value_name = "K")]
    min_individuals: u64,
    /// Only this company: its id in the result, or with --key-file its real
    /// organisationsnummer (shown instead of its pseudonym).
    #[arg(long, value_name = "ID")]
    company: Option<String>,
    #[command(flatten)]
    key: super::pseudonym::KeyArgs,
    /// Card compliance per company, as written by `cards check`, shown next
    /// to the index. Its company ids are pseudonymised with --key-file.
    #[arg(long, value_name = "CHECK.csv")]
    compliance: Option<PathBuf>,
    /// Required competence per company, as written by `competence check
    /// --format json` (made with the same key, if any), shown next to the index.
    #[arg(long, value_name = "CHECK.json")]
    competence: Option<PathBuf>,
    /// Register faults per company, as written by `ledger faults`, shown next
    /// to the index.
    #[arg(long, value_name = "FAULTS.json")]
    faults: Option<PathBuf>,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// The company `--company` names: its id in the result and the name to show.
/// With the key, the id is the pseudonym of the organisationsnummer (or of a
/// sole trader's personnummer); without it, any spelling of the same number
/// finds the company. `None` if it is not in the result.
fn find_company(
    report: &Report,
    asked: &str,
    pseudonymizer: Option<&loggningsindex_pseudonym::Pseudonymizer>,
) -> Option<(String, String)> {
    let reference = time::OffsetDateTime::now_utc().date();
    let same = |a: &str, b: &str| same_identity(Domain::Company, a, b, reference);
    let id = match pseudonymizer {
        Some(p) => p.pseudonym(Domain::Company, asked).ok()?,
        None => report
            .companies
            .iter()
            .find(|c| same(&c.company, asked))?
            .company
            .clone(),
    };
    // Shown as the number is usually written: NNNNNN-NNNN, or a sole
    // trader's YYYYMMDD-NNNN.
    let shown = match canonical(Domain::Company, asked, reference) {
        Ok(digits) if looks_swedish(asked) => {
            let cut = digits.len() - 4;
            format!("{}-{}", &digits[..cut], &digits[cut..])
        }
        _ => asked.trim().to_string(),
    };
    report
        .companies
        .iter()
        .any(|c| c.company == id)
        .then_some((id, shown))
}

/// Reads the per-company shares of `competence check --format json`.
fn read_competence(
    path: &Path,
) -> anyhow::Result<std::collections::BTreeMap<String, CompetenceShare>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let check: loggningsindex_competence::CompetenceCheck =
        serde_json::from_reader(BufReader::new(file))
            .with_context(|| format!("{} is not a result of `competence check`", path.display()))?;
    Ok(check
        .companies
        .into_iter()
        .map(|c| {
            let share = CompetenceShare {
                shifts: c.group.shifts,
                shifts_without_required: c.group.shifts_without_required,
            };
            (c.company, share)
        })
        .collect())
}

/// Reads the per-company output of `cards check`.
fn read_card_checks(
    path: &Path,
    pseudonymizer: Option<&loggningsindex_pseudonym::Pseudonymizer>,
) -> anyhow::Result<std::collections::BTreeMap<String, CardCheck>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut checks = std::collections::BTreeMap::new();
    for row in reader.records() {
        let row = row?;
        let number = |i: usize| row.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        let company = row.get(0).unwrap_or_default().to_string();
        let company = match pseudonymizer {
            Some(p) => p.pseudonym(Domain::Company, &company).unwrap_or(company),
            None => company,
        };
        checks.insert(
            company,
            CardCheck {
                with_card: number(1),
                without_card: number(2),
                invalid_card: number(3),
            },
        );
    }
    Ok(checks)
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let report = match Report::from_json(super::input(&args.result)?) {
        Ok(report) => report,
        Err(err) => {
            eprintln!(
                "loggningsindex: {} is not a result of `compute --format json`: {err}",
                args.result.display()
            );
            return Ok(ExitCode::from(super::EXIT_USAGE));
        }
    };
    let mut report = suppress(&report, args.min_individuals);
    let pseudonymizer = args.key.pseudonymizer()?;
    if let Some(path) = &args.compliance {
        report.attach_card_checks(&read_card_checks(path, pseudonymizer.as_ref())?);
    }
    if let Some(path) = &args.competence {
        report.attach_competence(&read_competence(path)?);
    }
    if let Some(path) = &args.faults {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let faults: std::collections::BTreeMap<String, FaultCounts> =
            serde_json::from_reader(BufReader::new(file)).with_context(|| {
                format!("{} is not a result of `ledger faults`", path.display())
            })?;
        report.attach_faults(&faults);
    }
    let mut html = HtmlOptions {
        title: "ID06 Loggningsindex".into(),
        subtitle: format!(
            "{} rows read from {}",
            report.records.read,
            args.result.display()
        ),
        min_individuals: args.min_individuals,
        ..HtmlOptions::default()
    };
    if let Some(company) = &args.company {
        let Some((id, shown)) = find_company(&report, company, pseudonymizer.as_ref()) else {
            eprintln!("loggningsindex: that company is not in the result");
            return Ok(ExitCode::from(EXIT_USAGE));
        };
        html.title = format!("ID06 Loggningsindex — {shown}");
        if args.format == ReportFormat::Html {
            // The page ranks the company among all, so keep them all.
            html.only_company = Some(id);
            html.display_name = Some(shown);
        } else {
            // One company: its own figures are the totals.
            report.companies.retain(|c| c.company == id);
            for c in &mut report.companies {
                c.company = shown.clone();
                report.totals = c.group;
            }
        }
    }
    let mut out = super::output(args.output.as_deref())?;
    match args.format {
        ReportFormat::Html => write_html(&report, &html, &mut out)?,
        ReportFormat::Markdown => write_table(&report, None, &mut out)?,
        ReportFormat::Csv => write_csv(&report, &mut out)?,
        ReportFormat::Json => write_json(&report, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Options of `demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    /// Where to write the HTML report.
    #[arg(long, default_value = "loggningsindex-demo.html")]
    html: PathBuf,
    /// Seed of the built-in register.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

/// The demo register's last day.
const DEMO_END: Date = date!(2026 - 04 - 26);

pub(crate) fn demo(args: &DemoArgs) -> anyhow::Result<ExitCode> {
    // A built-in register: 300 companies over 16 weeks across the spring DST change.
    let population = Population::builder()
        .seed(args.seed)
        .companies(300)
        .dates(date!(2026 - 01 - 05), DEMO_END)
        .build()?;
    let (csv, stats) = demo_register(&population)?;
    let bar = super::byte_progress_bar(Some(csv.len() as u64));
    let result = compute(
        csv.as_slice(),
        &Options::default(),
        &mut Verbatim,
        &mut |p| {
            super::show_rows(&bar, p.bytes, p.rows);
        },
    )?;
    bar.finish_and_clear();
    let full = Report::new(result.records, &result.summary);
    let report = suppress(&full, DEFAULT_MIN_INDIVIDUALS);
    // One source of truth: every figure shown comes from the computed result.
    let sites: std::collections::BTreeSet<&String> = result
        .summary
        .companies
        .values()
        .flat_map(|c| c.sites.keys())
        .collect();
    let mut stdout = io::stdout().lock();
    writeln!(
        stdout,
        "ID06 Loggningsindex — demo register: {} companies, {} people, {} sites, {} to {DEMO_END}",
        full.companies.len(),
        full.totals.individuals,
        sites.len(),
        population.start(),
    )?;
    writeln!(
        stdout,
        "{} rows read: {} accepted, {} rejected — of the {} deliberately bad rows, {} only spoil a \
         personnummer check digit, which is checked when pseudonymising (`compute --key-file`)\n",
        result.records.read,
        result.records.accepted,
        result.records.rejected,
        stats.bad_rows,
        stats.bad_ids
    )?;
    writeln!(stdout, "The 15 companies with the lowest index:\n")?;
    write_table(&report, Some(15), &mut stdout)?;
    let html = HtmlOptions {
        title: "ID06 Loggningsindex — demo".into(),
        subtitle: format!(
            "Synthetic register (seed {}): {} companies, {} to {DEMO_END}. No real person or company.",
            args.seed,
            full.companies.len(),
            population.start(),
        ),
        min_individuals: DEFAULT_MIN_INDIVIDUALS,
        sites: Some(sites.len() as u64),
        ..HtmlOptions::default()
    };
    write_html_file(&report, &html, &args.html)?;
    let shown = std::fs::canonicalize(&args.html).unwrap_or_else(|_| args.html.clone());
    writeln!(
        stdout,
        "\nThe full report, with charts per company: {}",
        shown.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The demo's event CSV, with 25 deliberately bad rows.
fn demo_register(population: &Population) -> anyhow::Result<(Vec<u8>, CsvStats)> {
    let bar = super::progress_bar(Some(population.estimated_events()), "generating register");
    let mut csv = Vec::new();
    let options = CsvOptions {
        bad_rows: 25,
        ..CsvOptions::default()
    };
    let stats = write_events(population, &options, &mut csv, |n| bar.set_position(n))?;
    bar.finish_and_clear();
    Ok((csv, stats))
}

fn write_html_file(report: &Report, html: &HtmlOptions, path: &Path) -> anyhow::Result<()> {
    let mut file = BufWriter::new(
        File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    write_html(report, html, &mut file)?;
    file.flush()?;
    Ok(())
}
