//! Errors of the service's set-up and storage. What a client is told is
//! [`crate::http`]'s business; these never carry an identity or a key.

use std::path::PathBuf;

/// An error of the service.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The database failed; `full` when the disk (or `--max-db-bytes`) is full.
    #[error("database: {message}")]
    Database {
        /// What SQLite said.
        message: String,
        /// Whether the disk or the size limit was full.
        full: bool,
    },
    /// The database was made by a newer version of this program.
    #[error("the database has schema version {found}; this program knows up to {known}")]
    NewerSchema {
        /// The database's version.
        found: i64,
        /// Ours.
        known: i64,
    },
    /// The key file does not open this database's sealed values.
    #[error("the key file is not the one this database was created with")]
    WrongKey,
    /// The database holds sealed values but its key file is missing.
    #[error(
        "{path}: no such key file; this database's identities cannot be read without the key it was created with (give it with --key-file)"
    )]
    KeyMissing {
        /// Where the key was looked for.
        path: PathBuf,
    },
    /// The key file could not be read or written.
    #[error("key file: {0}")]
    Key(String),
    /// A sealed value did not open: changed, moved, or sealed with another key.
    #[error("a sealed value does not open: changed, moved from another row, or another key")]
    Sealed,
    /// The system gave no randomness.
    #[error("the operating system gave no random bytes")]
    Random,
    /// A bad argument (a role, a scope, an address).
    #[error("{0}")]
    Invalid(String),
    /// The certificate or key for TLS.
    #[error("TLS: {0}")]
    Tls(String),
    /// Reading or writing a file, or the network.
    #[error("{0}")]
    Io(String),
    /// The ledger (an export that does not verify, say).
    #[error(transparent)]
    Ledger(#[from] loggningsindex_register::Error),
}

impl Error {
    /// Whether the storage is full (the request may succeed later).
    pub fn is_full(&self) -> bool {
        matches!(self, Error::Database { full: true, .. })
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let full = matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)
        );
        Error::Database {
            message: e.to_string(),
            full,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

/// A result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
