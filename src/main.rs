//! The `loggningsindex` command: argument parsing and wiring only.

use std::process::ExitCode;

use clap::Parser;

/// Compute the ID06 Loggningsindex from personalliggare check-in/check-out events.
#[derive(Debug, Parser)]
#[command(name = "loggningsindex", version, about)]
struct Cli {}

fn main() -> ExitCode {
    let _cli = Cli::parse();
    ExitCode::SUCCESS
}
