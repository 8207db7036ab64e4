//! The bulk crate's one error type.

use std::io;

/// What can stop a computation as a whole. (A bad *row* is not an error: it is
/// rejected and counted, and the rest goes on; see [`crate::Reject`].)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading the input failed.
    #[error("cannot read input: {message}")]
    Io {
        /// What kind of I/O error.
        kind: io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// The input is empty: not even a header row.
    #[error("the input has no header row")]
    NoHeader,
    /// The header lacks required columns.
    #[error("the header lacks required column(s): {}", missing.join(", "))]
    MissingColumns {
        /// The missing columns' names.
        missing: Vec<String>,
    },
    /// A known column appears twice in the header.
    #[error("the header names column {name:?} twice")]
    DuplicateColumn {
        /// The column's name.
        name: String,
    },
    /// The input is not UTF-8 text.
    #[error("the input is {found}: save it as UTF-8 (in Excel: \"CSV UTF-8\")")]
    Encoding {
        /// What it seems to be.
        found: &'static str,
    },
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
    /// The thread pool could not be started.
    #[error("cannot start worker threads: {message}")]
    Threads {
        /// Why.
        message: String,
    },
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::Io {
            kind: err.kind(),
            message: err.to_string(),
        }
    }
}

impl From<loggningsindex_format::Error> for Error {
    fn from(err: loggningsindex_format::Error) -> Self {
        use loggningsindex_format::Error as Format;
        match err {
            Format::Io { kind, message } => Error::Io { kind, message },
            Format::NoHeader => Error::NoHeader,
            Format::MissingColumns { missing } => Error::MissingColumns { missing },
            Format::DuplicateColumn { name } => Error::DuplicateColumn { name },
            Format::Encoding { found } => Error::Encoding { found },
            other => Error::Io {
                kind: io::ErrorKind::InvalidData,
                message: other.to_string(),
            },
        }
    }
}

impl Error {
    /// Whether the error is about the input's shape or the command's options
    /// (exit status 2) rather than a failure while running (exit status 1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::NoHeader
                | Error::MissingColumns { .. }
                | Error::DuplicateColumn { .. }
                | Error::Encoding { .. }
                | Error::Zone(_)
                | Error::BadPartition { .. }
        )
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
