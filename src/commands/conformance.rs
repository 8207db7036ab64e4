//! `loggningsindex conformance …`: the vectors in `conformance/`, and a runner
//! for any implementation.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use loggningsindex_conformance::{Vector, load_vectors, run_vector};

use super::{EXIT_FAILURE, EXIT_USAGE};

/// `conformance` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Conformance {
    /// List the vectors: name and what each tests.
    List {
        /// The vectors' directory (default: `conformance` here, or the one in
        /// the source tree this binary was built from).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Run a command on every vector and compare what it prints.
    Run {
        /// The command line; `{input}` stands for the vector's event file, and
        /// the command must print the JSON result (as `compute --format json`).
        #[arg(long, value_name = "COMMAND")]
        cmd: String,
        /// The vectors' directory (as for `list`).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// `--dir`, or `./conformance`, or the source tree's.
fn vectors(dir: Option<&Path>) -> Option<Vec<Vector>> {
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let dir = match dir {
        Some(dir) => dir.to_path_buf(),
        None if Path::new("conformance").is_dir() => PathBuf::from("conformance"),
        None => built,
    };
    match load_vectors(&dir) {
        Ok(vectors) if !vectors.is_empty() => Some(vectors),
        Ok(_) => {
            eprintln!("loggningsindex: no vectors in {}", dir.display());
            None
        }
        Err(err) => {
            eprintln!("loggningsindex: {err}");
            None
        }
    }
}

pub(crate) fn run(command: &Conformance) -> anyhow::Result<ExitCode> {
    match command {
        Conformance::List { dir } => {
            let Some(vectors) = vectors(dir.as_deref()) else {
                return Ok(ExitCode::from(EXIT_USAGE));
            };
            for v in &vectors {
                println!("{:<44} {}", v.name, v.about);
            }
            Ok(ExitCode::SUCCESS)
        }
        Conformance::Run { cmd, dir } => {
            if !cmd.contains("{input}") {
                eprintln!("loggningsindex: --cmd must contain {{input}}");
                return Ok(ExitCode::from(EXIT_USAGE));
            }
            let Some(vectors) = vectors(dir.as_deref()) else {
                return Ok(ExitCode::from(EXIT_USAGE));
            };
            let mut failed = 0;
            for v in &vectors {
                if let Err(diff) = run_vector(v, cmd) {
                    failed += 1;
                    println!("FAIL {} — {}", v.name, v.about);
                    for line in diff {
                        println!("    {line}");
                    }
                }
            }
            println!("{} passed, {failed} failed", vectors.len() - failed);
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_FAILURE)
            })
        }
    }
}
