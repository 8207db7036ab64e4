//! The event format of loggningsindex: the CSV that registers export and every
//! part of the toolkit reads.
//!
//! One header row names the columns (any order, case-insensitive): `person`,
//! `company`, `site`, `timestamp`, `direction`, optionally `card`. Every field
//! is trimmed of spaces and tabs. A row that cannot be read is *rejected*
//! with its line number and a [`RejectReason`] that never repeats the row's
//! content; `docs/formats.md` describes every rule.
//!
//! This crate holds each rule once — [`Columns`], [`trim`], [`parse_id`],
//! [`parse_direction`], [`parse_timestamp`], [`parse_row`] — and one
//! sequential reader, [`EventReader`]. The bulk engine tokenises chunks on
//! many threads and calls [`parse_row`] on each record; pseudonymisation, the
//! card check and the ledger import read with [`EventReader`].
//!
//! ```
//! use loggningsindex_format::{EventReader, Next};
//! use loggningsindex_zone::Zone;
//!
//! let csv = "person,company,site,timestamp,direction\n\
//!            p1,556677-8899,BPL-1,2026-03-02 07:00:00,IN\n\
//!            p1,556677-8899,BPL-1,2026-03-02T16:00:00+01:00,SIDEWAYS\n";
//! let mut reader = EventReader::new(csv.as_bytes(), &Zone::stockholm())?;
//! let mut seen = Vec::new();
//! loop {
//!     match reader.next_row()? {
//!         Next::Row(row) => seen.push(format!("{}: {} {}", row.line, row.person, row.direction)),
//!         Next::Rejected(reject) => seen.push(format!("{}: {}", reject.line, reject.reason)),
//!         Next::End => break,
//!     }
//! }
//! assert_eq!(seen, ["2: p1 IN", "3: unknown direction (expected IN, OUT or UT)"]);
//! # Ok::<(), loggningsindex_format::Error>(())
//! ```
//!
//! # What this crate does not do
//!
//! No threads, no shifts, no aggregation: it reads rows. The parallel engine
//! is `loggningsindex-bulk`; the rules are `loggningsindex-core`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod field;
mod header;
mod lines;
mod reader;
mod reject;
mod table;
mod timestamp;

pub use error::{Error, Result};
pub use field::{parse_direction, parse_id};
pub use header::{Columns, DELIMITERS, check_encoding, detect_delimiter, trim};
pub use lines::LineCounter;
pub use reader::{
    EventReader, EventRow, Fields, Next, Stamp, parse_fields, parse_row, parse_stamp,
};
pub use reject::{IdColumn, Reject, RejectReason, summarize_rejects};
pub use table::Table;
pub use timestamp::{TimestampError, parse_timestamp};

/// Turns an identifier as written into the identifier used in the result, or
/// rejects it. Called at least once per distinct spelling per column — the
/// engines remember answers per key (person, company, site), so a spelling
/// may be asked again — and must give the same answer each time.
pub trait IdMapper: Send {
    /// The output id for `raw` (already trimmed, never empty) in `column`.
    ///
    /// # Errors
    ///
    /// A [`RejectReason::InvalidId`] that never contains `raw` itself.
    fn map(&mut self, column: IdColumn, raw: &str) -> Result<String, RejectReason>;

    /// How an output id of `column` is shown in the result, asked once per
    /// id when the input has been read: as it is, unless the mapper groups
    /// spellings and shows a group under one of them.
    fn shown(&self, column: IdColumn, id: &str) -> String {
        let _ = column;
        id.to_owned()
    }
}

/// Keeps identifiers exactly as written (for data already pseudonymised).
#[derive(Clone, Copy, Debug, Default)]
pub struct Verbatim;

impl IdMapper for Verbatim {
    fn map(&mut self, _: IdColumn, raw: &str) -> Result<String, RejectReason> {
        Ok(raw.to_string())
    }
}

/// How many rows were read, accepted and rejected: `read = accepted + rejected`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Records {
    /// Rows read (not counting the header or empty lines).
    pub read: u64,
    /// Rows that became events.
    pub accepted: u64,
    /// Rows rejected, each with a line number and reason.
    pub rejected: u64,
}

impl Records {
    /// Adds another partition's counts.
    pub fn merge(&mut self, other: Records) {
        self.read += other.read;
        self.accepted += other.accepted;
        self.rejected += other.rejected;
    }
}
