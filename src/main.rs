//! The `loggningsindex` command: argument parsing and wiring only. The work is
//! done by the library crates; see `src/commands/` for how each subcommand
//! wires them together.
//!
//! Exit codes: 0 success; 1 failure (including too many rejected rows); 2 usage
//! error or an input file without the required columns.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;

/// Compute the ID06 Loggningsindex from personalliggare check-in/check-out events.
#[derive(Debug, Parser)]
#[command(name = "loggningsindex", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a built-in register, compute it, print a summary and write an
    /// HTML report: the main job, in about a second.
    Demo(commands::report::DemoArgs),
    /// Compute the index per company from an event CSV (docs/formats.md).
    Compute(commands::compute::Args),
    /// Render a result as HTML, Markdown, CSV or JSON, with small groups suppressed.
    Report(commands::report::Args),
    /// Merge partial results of `compute --partition I/N` into the whole.
    Merge(commands::compute::MergeArgs),
    /// Write a synthetic, seeded register as event CSV.
    Generate(commands::generate::Args),
    /// ID06 cards: expiring cards, the yearly fee basis, registrations with bad cards.
    #[command(subcommand)]
    Cards(commands::cards::Cards),
    /// ID06 Kompetensdatabas: shifts worked without a required certificate, expiring certificates.
    #[command(subcommand)]
    Competence(commands::competence::Competence),
    /// The staff register as a tamper-evident ledger.
    #[command(subcommand)]
    Ledger(commands::ledger::Ledger),
    /// Conformance vectors: list them, or run any implementation against them.
    #[command(subcommand)]
    Conformance(commands::conformance::Conformance),
    /// Staff notices (personalanmälan): registrations by people not announced.
    #[command(subcommand)]
    Notices(commands::notices::Notices),
    /// The staff register as a service: terminals register, inspectors see who
    /// is present, companies block cards and read their index (docs/service.md).
    Serve(commands::service::ServeArgs),
    /// Bearer tokens of the register service.
    #[command(subcommand)]
    Token(commands::service::Token),
    /// Write a new random pseudonymisation key to a file (mode 0600).
    Keygen(commands::pseudonym::KeygenArgs),
    /// Replace identifiers in an event CSV by keyed pseudonyms.
    #[command(alias = "pseudonymise")]
    Pseudonymize(commands::pseudonym::PseudonymizeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => commands::report::demo(&args),
        Command::Compute(args) => commands::compute::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Merge(args) => commands::compute::run_merge(&args),
        Command::Generate(args) => commands::generate::run(&args),
        Command::Cards(command) => commands::cards::cards(&command),
        Command::Ledger(command) => commands::ledger::run(&command),
        Command::Competence(command) => commands::competence::run(&command),
        Command::Conformance(command) => commands::conformance::run(&command),
        Command::Notices(command) => commands::notices::run(&command),
        Command::Serve(args) => commands::service::serve(&args),
        Command::Token(command) => commands::service::token(&command),
        Command::Keygen(args) => commands::pseudonym::keygen(&args),
        Command::Pseudonymize(args) => commands::pseudonym::pseudonymize(&args),
    };
    commands::exit(result)
}
