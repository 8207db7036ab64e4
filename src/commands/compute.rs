//! `loggningsindex compute` and `loggningsindex merge`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use loggningsindex_bulk::columnar::{Input, compute_input};
use loggningsindex_bulk::{
    Computation, Engine, IdMapper, Options, Partial, Partition, Records, RejectReason,
    merge_partials,
};
use loggningsindex_core::Summary;
use loggningsindex_pseudonym::Canonicalizer;
use loggningsindex_report::{Report, write_csv, write_json, write_table};
use loggningsindex_zone::{DEFAULT_ZONE, Zone};

use super::{EXIT_FAILURE, EXIT_USAGE};

/// Output formats of the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// The JSON result (docs/formats.md).
    Json,
    /// A Markdown table, companies worst first.
    Table,
    /// One CSV row per group.
    Csv,
}

/// Options of `compute`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Event CSV file, or `-` for standard input.
    input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The sites' IANA time zone, for local dates and naive timestamps.
    #[arg(long, default_value = DEFAULT_ZONE, value_name = "TZ")]
    timezone: String,
    /// Write every rejected row (line, reason) to this CSV file.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Fail (exit 1, no result) if more than N rows are rejected.
    #[arg(long, value_name = "N")]
    max_rejects: Option<u64>,
    /// Worker threads, 1 to 256 (default: all cores). The result does not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..))]
    threads: Option<u8>,
    /// The field delimiter: `,` `;` or `tab` (default: detected from the header).
    #[arg(long, value_parser = parse_delimiter, value_name = "CHAR")]
    delimiter: Option<u8>,
    /// Write the result to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Reject lines longer than this many bytes without reading them whole.
    #[arg(long, value_name = "BYTES", default_value_t = loggningsindex_bulk::DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// The input is in time order (a register export): use the streaming
    /// engine, whose memory does not grow with the file.
    #[arg(long)]
    sorted: bool,
    /// With --sorted: how late an event may arrive before it is rejected
    /// (`300s`, `5m`, `1h`).
    #[arg(long, default_value = "5m", value_parser = parse_duration, value_name = "DURATION")]
    reorder_window: i64,
    /// Compute only partition I of N of the people, and write a partial
    /// result for `loggningsindex merge`.
    #[arg(long, value_name = "I/N")]
    partition: Option<Partition>,
    /// Write a partial result (JSON) even without --partition.
    #[arg(long)]
    partial: bool,
    #[command(flatten)]
    key: super::pseudonym::KeyArgs,
}

/// Options of `merge`.
#[derive(Debug, clap::Args)]
pub(crate) struct MergeArgs {
    /// Partial results written by `compute --partition I/N`, one per partition.
    #[arg(required = true)]
    partials: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write every rejected row (line, reason) to this CSV file.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Write the result to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `,`, `;`, `tab` (or a tab character), `|`.
pub(crate) fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "\t" | "tab" | "\\t" => Ok(b'\t'),
        "|" | "pipe" => Ok(b'|'),
        _ => Err(format!("{text:?}: use , ; tab or |")),
    }
}

/// Parses `300s`, `5m`, `1h` or plain seconds into nanoseconds.
fn parse_duration(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, "s"),
    };
    let n: i64 = number
        .parse()
        .map_err(|_| format!("not a duration: {text:?}"))?;
    let per_unit: i64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        _ => return Err(format!("unknown unit in {text:?}: use s, m or h")),
    };
    n.checked_mul(per_unit)
        .and_then(|seconds| seconds.checked_mul(1_000_000_000))
        .ok_or_else(|| format!("duration {text:?} is too long"))
}

/// Opens `path`, or standard input for `-`, with its size when known.
pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Some(options) = options(args) else {
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let computation = match args.key.pseudonymizer()? {
        Some(mut pseudonymizer) => computation(args, &options, &mut pseudonymizer)?,
        None => {
            // Without a key, equivalent spellings of one identity number are
            // still one person (docs/formats.md, "Identifiers").
            let mut ids = Canonicalizer::new(args.key.reference());
            // Each company is shown under its smallest spelling
            // (`Canonicalizer::shown`, asked by the engine).
            let computation = computation(args, &options, &mut ids)?;
            if ids.invalid() > 0 {
                eprintln!(
                    "loggningsindex: warning: {} ids look like Swedish identity numbers but are not \
                     valid; counted as written (with --key-file such rows are rejected)",
                    ids.invalid()
                );
            }
            computation
        }
    };
    let computation = match computation {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let rejects: Vec<(u64, String)> = computation
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.to_string()))
        .collect();
    report_rejects(&computation.records, &rejects, args.rejects.as_deref())?;
    if let Some(code) = refuse(args, &computation) {
        return Ok(code);
    }
    let out = super::output(args.output.as_deref())?;
    if args.partial || args.partition.is_some() {
        write_partial(&computation, out)?;
    } else {
        write_result(&computation.records, &computation.summary, args.format, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The engine options the arguments ask for; `None` (after a message) for a
/// usage error.
fn options(args: &Args) -> Option<Options> {
    let zone = match Zone::get(&args.timezone) {
        Ok(zone) => zone,
        Err(err) => {
            eprintln!("loggningsindex: {err}");
            return None;
        }
    };
    let mut options = Options::default().with_zone(zone);
    if let Some(threads) = args.threads {
        options = options.with_threads(usize::from(threads));
    }
    if args.sorted {
        options = options.with_engine(Engine::streaming(args.reorder_window));
    }
    if let Some(partition) = args.partition {
        options = options.with_partition(partition);
    }
    if let Some(delimiter) = args.delimiter {
        options = options.with_delimiter(delimiter);
    }
    options = options.with_max_line_bytes(args.max_line_bytes);
    Some(options)
}

/// Runs the computation with a progress bar; `Err(code)` when the input's
/// shape is wrong (the message is printed).
fn computation(
    args: &Args,
    options: &Options,
    mapper: &mut dyn IdMapper,
) -> anyhow::Result<Result<Computation, ExitCode>> {
    let (input, size) = Input::open(&args.input)
        .with_context(|| format!("cannot open {}", args.input.display()))?;
    let bar = super::byte_progress_bar(size);
    let result = compute_input(input, options, mapper, &mut |p| {
        super::show_rows(&bar, p.bytes, p.rows);
    });
    bar.finish_and_clear();
    match result {
        Ok(c) => Ok(Ok(c)),
        Err(err) if err.is_usage() => {
            eprintln!("loggningsindex: {err}");
            Ok(Err(ExitCode::from(EXIT_USAGE)))
        }
        Err(err) => Err(err.into()),
    }
}

/// Whether to withhold the result (exit 1): more rejects than `--max-rejects`
/// allows or, without it, more rows rejected than accepted — a file read that
/// badly is almost always read wrongly (docs/formats.md, "Exit codes").
fn refuse(args: &Args, computation: &Computation) -> Option<ExitCode> {
    let records = computation.records;
    let late = computation
        .rejects
        .iter()
        .filter(|r| r.reason == RejectReason::TooLate)
        .count();
    if late > 0 {
        eprintln!(
            "loggningsindex: {late} rows came later than --reorder-window allows: the input is not \
             in time order. Run without --sorted (the in-memory engine takes any order), or \
             widen --reorder-window"
        );
    }
    let too_many = match args.max_rejects {
        Some(max) => records.rejected > max,
        None => records.rejected > records.accepted,
    };
    if !too_many {
        return None;
    }
    let rule = match args.max_rejects {
        Some(max) => format!("more than --max-rejects {max}"),
        None => format!(
            "more than the {} accepted (give --max-rejects N to allow it)",
            records.accepted
        ),
    };
    eprintln!(
        "loggningsindex: {} of {} rows rejected, {rule}; no result",
        records.rejected, records.read
    );
    Some(ExitCode::from(EXIT_FAILURE))
}

pub(crate) fn run_merge(args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let mut partials = Vec::new();
    for path in &args.partials {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let partial: Partial = serde_json::from_reader(io::BufReader::new(file))
            .with_context(|| format!("{} is not a partial result", path.display()))?;
        partials.push(partial);
    }
    let merged = match merge_partials(partials) {
        Ok(merged) => merged,
        Err(err) => {
            eprintln!("loggningsindex: {err}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    report_rejects(&merged.records, &merged.rejects, args.rejects.as_deref())?;
    let out = super::output(args.output.as_deref())?;
    write_result(&merged.records, &merged.summary, args.format, out)?;
    Ok(ExitCode::SUCCESS)
}

/// One line per reason on standard error, and the rejects file if asked for.
pub(crate) fn report_rejects(
    records: &Records,
    rejects: &[(u64, String)],
    file: Option<&Path>,
) -> anyhow::Result<()> {
    if let Some(path) = file {
        let out =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut writer = csv::Writer::from_writer(BufWriter::new(out));
        writer.write_record(["line", "reason"])?;
        for (line, reason) in rejects {
            writer.write_record([line.to_string(), reason.clone()])?;
        }
        writer.flush()?;
    }
    if records.rejected > 0 {
        eprintln!(
            "loggningsindex: read {} rows: {} accepted, {} rejected",
            records.read, records.accepted, records.rejected
        );
        let mut counts = std::collections::BTreeMap::new();
        for (_, reason) in rejects {
            *counts.entry(reason.as_str()).or_insert(0u64) += 1;
        }
        for (reason, n) in counts {
            eprintln!("loggningsindex: rejected {n} × {reason}");
        }
    }
    Ok(())
}

fn write_result(
    records: &Records,
    summary: &Summary<String>,
    format: Format,
    mut out: Box<dyn Write>,
) -> anyhow::Result<()> {
    let report = Report::new(*records, summary);
    match format {
        Format::Json => write_json(&report, &mut out)?,
        Format::Csv => write_csv(&report, &mut out)?,
        Format::Table => write_table(&report, None, &mut out)?,
    }
    out.flush()?;
    Ok(())
}

fn write_partial(computation: &Computation, mut out: Box<dyn Write>) -> anyhow::Result<()> {
    serde_json::to_writer(&mut out, &Partial::of(computation))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("300s"), Ok(300_000_000_000));
        assert_eq!(parse_duration("5m"), Ok(300_000_000_000));
        assert_eq!(parse_duration("1h"), Ok(3_600_000_000_000));
        assert_eq!(parse_duration("42"), Ok(42_000_000_000));
        assert!(parse_duration("5d").is_err());
        assert!(parse_duration("m").is_err());
    }
}
