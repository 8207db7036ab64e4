//! The register crate's one error type.

/// What can stop a register operation as a whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An event file cannot be read as such.
    #[error(transparent)]
    Events(loggningsindex_format::Error),
    /// Reading CSV or a file failed.
    #[error("cannot read: {message}")]
    Io {
        /// Why.
        message: String,
    },
    /// The ledger does not verify: the first entry (1-based line) that is
    /// wrong, and what is wrong with it.
    #[error("ledger broken at entry {line}: {what}")]
    Broken {
        /// The line of the first broken entry.
        line: u64,
        /// What is wrong.
        what: String,
    },
    /// A correction names an entry that is not a registration of the ledger.
    #[error("entry {entry} is not a registration in this ledger")]
    NoSuchEntry {
        /// The entry asked for.
        entry: u64,
    },
    /// A registration's fields are invalid.
    #[error("invalid registration: {reason}")]
    Invalid {
        /// Why.
        reason: String,
    },
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io {
            message: e.to_string(),
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
