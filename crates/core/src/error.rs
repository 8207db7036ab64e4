//! The core's one error type.

use crate::event::Timestamp;

/// What can go wrong in the core.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An instant outside the years 1678–2261, which 64-bit nanoseconds cover.
    #[error("timestamp outside the supported range (years 1678 to 2261)")]
    TimestampOutOfRange,
    /// A slice promised to be in canonical order is not; `index` is the first
    /// event that sorts before its predecessor.
    #[error("events are not in canonical order at index {index}")]
    NotSorted {
        /// Index of the first out-of-order event.
        index: usize,
    },
    /// The streaming builder was given an event that sorts before an event of the
    /// same key it has already seen.
    #[error("event at {at} arrived after a later event of the same key")]
    EventOutOfOrder {
        /// The offending event's instant.
        at: Timestamp,
    },
    /// The streaming builder was given an event at or before a moment the caller
    /// already declared past with `advance_to`.
    #[error("event at {at} is not after the clock already advanced to {clock}")]
    EventBeforeClock {
        /// The offending event's instant.
        at: Timestamp,
        /// The clock the caller had advanced to (in the event's offset).
        clock: Timestamp,
    },
    /// The text is not a month written `YYYY-MM`.
    #[error("not a month written YYYY-MM")]
    NotAMonth,
    /// An `origin` other than `card`, `app`, `manual`, `auto` or empty.
    #[error("unknown origin (expected card, app, manual, auto or empty)")]
    UnknownOrigin,
    /// The streaming builder was given an event after `finish`.
    #[error("event pushed after the input was declared complete")]
    Finished,
}

/// The core's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
