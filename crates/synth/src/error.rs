//! The synthetic-data crate's one error type.

/// What can go wrong when building a population.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The last day is before the first.
    #[error("the date range is empty: the last day is before the first")]
    EmptyDateRange,
    /// Zero companies or zero people were asked for.
    #[error("the population must have at least one company")]
    NoCompanies,
    /// No behaviour profile has a positive weight.
    #[error("at least one behaviour profile needs a positive weight")]
    NoProfiles,
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
