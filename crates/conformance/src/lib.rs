//! Conformance vectors for the ID06 Loggningsindex, and a runner that checks
//! any implementation against them.
//!
//! A vector is a directory holding `events.csv` (the input), `expected.json`
//! (the result as `loggningsindex compute --format json` writes it),
//! `shifts.csv` (every shift the rules form, per key, with its class — for
//! finding where an implementation went wrong) and `about.txt` (one line: what
//! it tests). The expected files are generated from the project's literal
//! reading of the rules ([`loggningsindex_core::reference`]) and the plain
//! event-file reader, never from the fast engines they check; then reviewed
//! and frozen in the repository's `conformance/` directory.
//!
//! ```no_run
//! use loggningsindex_conformance::{load_vectors, run_vector};
//!
//! let vectors = load_vectors("conformance".as_ref())?;
//! for vector in &vectors {
//!     if let Err(diff) = run_vector(vector, "loggningsindex compute {input}") {
//!         println!("{}: {}", vector.name, diff.join("; "));
//!     }
//! }
//! # Ok::<(), loggningsindex_conformance::Error>(())
//! ```
//!
//! # What this crate does not do
//!
//! It does not compute the index fast: it reads the rules literally. Compare
//! implementations with it, do not run registers through it.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod diff;
mod expected;
mod run;
mod specs;

use std::path::{Path, PathBuf};

pub use diff::json_diff;
pub use expected::{Expected, expected};
pub use run::{run_vector, shell_quote};
pub use specs::{Spec, specs};

/// What can go wrong reading or writing vectors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A vector's input is not an event file (no header or columns).
    #[error("vector {name}: {message}")]
    Input {
        /// The vector.
        name: String,
        /// Why.
        message: String,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// One vector as stored in a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vector {
    /// Its directory's name, such as `013-burst-exactly-30s`.
    pub name: String,
    /// One line: what it tests.
    pub about: String,
    /// Its directory.
    pub dir: PathBuf,
}

impl Vector {
    /// The input file.
    pub fn input(&self) -> PathBuf {
        self.dir.join("events.csv")
    }

    /// The expected result, as text.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if it cannot be read.
    pub fn expected_json(&self) -> Result<String> {
        let path = self.dir.join("expected.json");
        std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))
    }
}

/// Every vector under `dir`, by name.
///
/// # Errors
///
/// [`Error::Io`] if the directory or a vector's `about.txt` cannot be read.
pub fn load_vectors(dir: &Path) -> Result<Vec<Vector>> {
    let mut vectors = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
        let entry = entry.map_err(|e| io_error(dir, e))?;
        let path = entry.path();
        if !path.join("events.csv").is_file() {
            continue;
        }
        let about_path = path.join("about.txt");
        let about = std::fs::read_to_string(&about_path).map_err(|e| io_error(&about_path, e))?;
        vectors.push(Vector {
            name: entry.file_name().to_string_lossy().into_owned(),
            about: about.trim().to_string(),
            dir: path,
        });
    }
    vectors.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(vectors)
}

/// Writes every vector of [`specs`] under `dir` (one directory each, named
/// `NNN-name`), with its expected files generated from the reference.
///
/// # Errors
///
/// [`Error::Io`] if a file cannot be written, [`Error::Input`] if a spec's
/// input is not an event file.
pub fn write_vectors(dir: &Path) -> Result<usize> {
    let specs = specs();
    for (i, spec) in specs.iter().enumerate() {
        let vector_dir = dir.join(format!("{:03}-{}", i + 1, spec.name));
        std::fs::create_dir_all(&vector_dir).map_err(|e| io_error(&vector_dir, e))?;
        let want = expected(spec)?;
        for (file, text) in [
            ("events.csv", spec.csv.as_str()),
            ("expected.json", want.json.as_str()),
            ("shifts.csv", want.shifts.as_str()),
            ("about.txt", &format!("{}\n", spec.about)),
        ] {
            let path = vector_dir.join(file);
            std::fs::write(&path, text).map_err(|e| io_error(&path, e))?;
        }
    }
    Ok(specs.len())
}
