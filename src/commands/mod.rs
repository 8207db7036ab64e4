//! One module per subcommand, plus what they share.

use std::io;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

pub(crate) mod cards;
pub(crate) mod competence;
pub(crate) mod compute;
pub(crate) mod conformance;
pub(crate) mod generate;
pub(crate) mod ledger;
pub(crate) mod notices;
pub(crate) mod pseudonym;
pub(crate) mod report;
pub(crate) mod service;

/// Exit status for a failure (docs/formats.md and README: 1).
pub(crate) const EXIT_FAILURE: u8 = 1;
/// Exit status for a usage error or an input without the required columns.
pub(crate) const EXIT_USAGE: u8 = 2;

/// A file to read, or standard input for `-`, buffered.
pub(crate) fn input(path: &std::path::Path) -> anyhow::Result<Box<dyn io::Read>> {
    use anyhow::Context;
    if path == std::path::Path::new("-") {
        return Ok(Box::new(io::stdin().lock()));
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Box::new(io::BufReader::new(file)))
}

/// Each rejected row of `file` on standard error: line and reason.
pub(crate) fn print_rejects(file: &std::path::Path, rejects: &[loggningsindex_format::Reject]) {
    for r in rejects {
        eprintln!(
            "loggningsindex: {} line {}: {}",
            file.display(),
            r.line,
            r.reason
        );
    }
}

/// Standard output, or the file `-o` names (created or truncated).
pub(crate) fn output(path: Option<&std::path::Path>) -> anyhow::Result<Box<dyn io::Write>> {
    use anyhow::Context;
    Ok(match path {
        Some(path) => Box::new(io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    })
}

/// Turns a subcommand's result into the process's exit code. A closed output
/// pipe (`loggningsindex generate … | head`) is not an error.
pub(crate) fn exit(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(err) => {
            let broken_pipe = err
                .chain()
                .filter_map(|e| e.downcast_ref::<io::Error>())
                .any(|e| e.kind() == io::ErrorKind::BrokenPipe);
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("loggningsindex: {err:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// A bar of `total` (or a counter without one) in one of two templates;
/// indicatif draws it only when standard error is a terminal.
fn styled_bar(total: Option<u64>, with_total: &str, without_total: &str) -> ProgressBar {
    let (bar, template) = match total {
        Some(total) => (ProgressBar::new(total), with_total),
        None => (ProgressBar::no_length(), without_total),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// A progress bar of items (events written, say), labelled `what`.
pub(crate) fn progress_bar(total: Option<u64>, what: &str) -> ProgressBar {
    let bar = styled_bar(
        total,
        "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec}, eta {eta})",
        "{msg} [{elapsed_precise}] {human_pos} ({per_sec})",
    );
    bar.set_message(what.to_string());
    bar
}

/// A progress bar over input bytes, whose message counts events and their rate.
pub(crate) fn byte_progress_bar(total: Option<u64>) -> ProgressBar {
    styled_bar(
        total,
        "reading [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} · {msg} · eta {eta}",
        "reading [{elapsed_precise}] {binary_bytes} · {msg}",
    )
}

/// Moves a [`byte_progress_bar`] to `bytes`, with `rows` events read so far.
pub(crate) fn show_rows(bar: &ProgressBar, bytes: u64, rows: u64) {
    bar.set_position(bytes);
    let seconds = bar.elapsed().as_secs_f64().max(1e-3);
    bar.set_message(format!(
        "{rows} events, {:.1} M events/s",
        rows as f64 / seconds / 1e6
    ));
}
