//! Rows that cannot be read: why, and where. A reason never contains the
//! row's content, so no identity number can leak through it.

use core::fmt;
use std::collections::BTreeMap;

use crate::timestamp::TimestampError;

/// Which identifier column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdColumn {
    /// `person`
    Person,
    /// `company`
    Company,
    /// `site`
    Site,
    /// `card`
    Card,
}

impl IdColumn {
    /// The column's name in the CSV header.
    pub fn as_str(self) -> &'static str {
        match self {
            IdColumn::Person => "person",
            IdColumn::Company => "company",
            IdColumn::Site => "site",
            IdColumn::Card => "card",
        }
    }
}

/// Why a row was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RejectReason {
    /// The row has a different number of fields than the header.
    FieldCount {
        /// Fields in the header.
        expected: u32,
        /// Fields in the row.
        found: u32,
    },
    /// A field is not valid UTF-8.
    InvalidUtf8,
    /// A required field is empty after trimming.
    Empty(&'static str),
    /// An identifier holds a control character (C0 or DEL), which could
    /// break a line or a table in an output.
    ControlCharacter(&'static str),
    /// The timestamp cannot be read.
    Timestamp(TimestampError),
    /// The CSV itself cannot be read at this record.
    Csv,
    /// The direction is not `IN`, `OUT` or `UT`.
    Direction,
    /// The origin is not `card`, `app`, `manual`, `auto` or empty.
    Origin,
    /// An identifier failed validation (for instance a personnummer with a
    /// wrong check digit, when pseudonymising); the detail never includes the
    /// identifier itself.
    InvalidId {
        /// Which column.
        column: IdColumn,
        /// What is wrong, such as `"bad check digit"`.
        detail: &'static str,
    },
    /// In streaming mode, the event arrived later than the reorder window allows.
    TooLate,
    /// The physical line is longer than the limit; it was skipped, never held.
    LineTooLong,
    /// A field of another file of the toolkit (a card or certificate file)
    /// breaks its rule; neither part repeats the field's content.
    Invalid {
        /// The column.
        column: &'static str,
        /// What is wrong, such as `"expected YYYY-MM-DD"`.
        detail: &'static str,
    },
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::FieldCount { expected, found } => {
                write!(f, "wrong field count: expected {expected}, found {found}")
            }
            RejectReason::InvalidUtf8 => f.write_str("invalid UTF-8"),
            RejectReason::Empty(column) => write!(f, "empty {column}"),
            RejectReason::ControlCharacter(column) => {
                write!(f, "control character in {column}")
            }
            RejectReason::Timestamp(e) => write!(f, "bad timestamp: {}", e.as_str()),
            RejectReason::Csv => f.write_str("unreadable CSV record"),
            RejectReason::Direction => f.write_str("unknown direction (expected IN, OUT or UT)"),
            RejectReason::Origin => {
                f.write_str("unknown origin (expected card, app, manual, auto or empty)")
            }
            RejectReason::InvalidId { column, detail } => {
                write!(f, "invalid {}: {detail}", column.as_str())
            }
            RejectReason::Invalid { column, detail } => write!(f, "bad {column}: {detail}"),
            RejectReason::LineTooLong => {
                f.write_str("line longer than the limit (--max-line-bytes)")
            }
            RejectReason::TooLate => {
                f.write_str("event later than the reorder window allows (input not in time order)")
            }
        }
    }
}

/// One rejected row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reject {
    /// The 1-based physical line where the record starts (the header is line 1).
    pub line: u64,
    /// Why.
    pub reason: RejectReason,
}

/// Counts rejects per reason, in a stable order.
pub fn summarize_rejects(rejects: &[Reject]) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for reject in rejects {
        *counts.entry(reject.reason.to_string()).or_insert(0) += 1;
    }
    counts
}
