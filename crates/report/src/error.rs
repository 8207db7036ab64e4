//! The report crate's one error type.

/// What can go wrong while rendering. The messages of the write errors name
/// the step; the cause is their `source()` (so `{:#}` prints each once).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Writing failed.
    #[error("cannot write report")]
    Io(#[from] std::io::Error),
    /// JSON encoding failed.
    #[error("cannot encode JSON")]
    Json(#[from] serde_json::Error),
    /// The input is not a result (JSON that cannot be read as one).
    #[error("cannot parse the result: {0}")]
    Parse(String),
    /// The result's counts contradict each other or are out of range.
    #[error("not a valid result: {0}")]
    Invalid(String),
    /// CSV encoding failed.
    #[error("cannot write CSV")]
    Csv(#[from] csv::Error),
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
