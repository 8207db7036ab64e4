//! The format crate's one error type.

use std::io;

/// What stops reading an event file as a whole. (A bad *row* is not an
/// error: it is rejected and counted, see [`crate::Reject`].)
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
    /// The input is not UTF-8 text.
    #[error("the input is {found}: save it as UTF-8 (in Excel: \"CSV UTF-8\")")]
    Encoding {
        /// What it seems to be.
        found: &'static str,
    },
    /// The header line is longer than the line limit.
    #[error("the header is longer than {max} bytes")]
    HeaderTooLong {
        /// The limit.
        max: usize,
    },
    /// A known column appears twice in the header.
    #[error("the header names column {name:?} twice")]
    DuplicateColumn {
        /// The column's name.
        name: String,
    },
}

impl Error {
    /// Whether the input is not an event file (its shape, exit status 2)
    /// rather than unreadable (exit status 1).
    pub fn is_usage(&self) -> bool {
        !matches!(self, Error::Io { .. })
    }
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::Io {
            kind: err.kind(),
            message: err.to_string(),
        }
    }
}

impl From<csv::Error> for Error {
    fn from(err: csv::Error) -> Self {
        match err.into_kind() {
            csv::ErrorKind::Io(io) => io.into(),
            other => Error::Io {
                kind: io::ErrorKind::InvalidData,
                message: format!("{other:?}"),
            },
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
