//! The cards crate's one error type.

/// What stops reading a card or event file as a whole. (A bad *row* is not an
/// error: it is rejected with its line and reason.)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A card file lacks required columns.
    #[error("the card file lacks required column(s): {missing}")]
    MissingColumns {
        /// Their names.
        missing: String,
    },
    /// An event file cannot be read as such.
    #[error(transparent)]
    Events(loggningsindex_format::Error),
    /// The event file has no `card` column: there is nothing to check.
    #[error("the event file has no card column: nothing to check")]
    NoCardColumn,
    /// Reading CSV or a file failed.
    #[error("cannot read: {message}")]
    Io {
        /// Why.
        message: String,
    },
}

impl Error {
    /// Whether the error is about the input's shape (exit status 2) rather
    /// than a failure while reading it.
    pub fn is_usage(&self) -> bool {
        !matches!(self, Error::Io { .. })
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
