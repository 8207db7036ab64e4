//! The bulk crate's one error type.

use std::io;

/// What can stop a computation as a whole. (A bad *row* is not an error: it is
/// rejected and counted, and the rest goes on; see [`crate::Reject`].)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input cannot be read as an event file (no header, missing
    /// columns, not UTF-8) or cannot be read at all.
    #[error(transparent)]
    Format(#[from] loggningsindex_format::Error),
    /// The site time zone is unknown.
    #[error(transparent)]
    Zone(#[from] loggningsindex_zone::Error),
    /// A partition was written other than `I/N` with `0 ≤ I < N`.
    #[error("partition must be I/N with 0 <= I < N, got {text:?}")]
    BadPartition {
        /// What was given.
        text: String,
    },
    /// Partial results do not fit together.
    #[error("partial results do not fit together: {reason}")]
    Partials {
        /// What is wrong.
        reason: String,
    },
    /// A Parquet or Arrow file that cannot be read as an event file (corrupt,
    /// or a column of a type that cannot hold its field).
    #[error("{message}")]
    Columnar {
        /// What is wrong, and where.
        message: String,
    },
    /// The thread pool could not be started.
    #[error("cannot start worker threads: {message}")]
    Threads {
        /// Why.
        message: String,
    },
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::Format(err.into())
    }
}

impl Error {
    /// Whether the error is about the input's shape or the command's options
    /// (exit status 2) rather than a failure while running (exit status 1).
    pub fn is_usage(&self) -> bool {
        match self {
            Error::Format(e) => e.is_usage(),
            Error::Zone(_) | Error::BadPartition { .. } | Error::Columnar { .. } => true,
            Error::Partials { .. } | Error::Threads { .. } => false,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
