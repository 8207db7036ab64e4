//! The staff register (personalliggare) as a tamper-evident ledger, and the
//! questions an inspector asks of it.
//!
//! - **The ledger** ([`ledger`]): an append-only file of registrations and
//!   corrections, each entry hash-chained to the previous, so that any edit,
//!   deletion, insertion or reordering is detected. The chain is sans-IO;
//!   a thin layer adds the file, the lock and the head.
//! - **Inspection** ([`present`], [`day`]): who is present at a site now; the
//!   day's shifts, formed by the index's rules, with corrections applied and
//!   marked.
//! - **Staff notices** ([`check_notices`]): registrations of people their
//!   company did not announce for the site that day (*personalanmälan*).
//!
//! ```
//! use loggningsindex_core::{Direction, Origin, Timestamp};
//! use loggningsindex_register::ledger::{Chain, Entry, Registration, parse_chain, write_entries};
//! use time::macros::datetime;
//!
//! let mut chain = Chain::default();
//! let mut file = Vec::new();
//! let registration = Registration {
//!     person: "p_1".into(),
//!     company: "c_1".into(),
//!     site: "BPL-1".into(),
//!     card: String::new(),
//!     at: Timestamp::from_offset_datetime(datetime!(2026-03-02 07:00 +01:00)).unwrap(),
//!     direction: Direction::In,
//!     device: "door-1".into(),
//!     origin: Origin::Card,
//!     salt: None,
//! };
//! let head = write_entries(&mut file, &mut chain, &[Entry::Registration(registration)])?;
//! assert_eq!(head.seq, 1);
//! assert_eq!(parse_chain(&file)?, chain);
//! file[40] ^= 1; // any edit breaks the chain
//! assert!(parse_chain(&file).is_err());
//! # Ok::<(), loggningsindex_register::Error>(())
//! ```
//!
//! # What this crate does not do
//!
//! It does not compute the index (that is `loggningsindex-core` and
//! `-bulk`) and it does not check cards (`loggningsindex-cards`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod extract;
mod faults;
pub mod ledger;
mod notices;
mod roll;

pub use error::{Broken, Error, Result};
pub use extract::{ExtractRow, extract, write_extract_html};
pub use faults::{DOUBLE_WINDOW_NANOS, RegisterFaults, faults};
pub use notices::{
    CompanyNotices, Notice, NoticeCheck, NoticeGroup, SiteNotices, Unannounced, check_notices,
    load_notices, suppress_notices,
};
pub use roll::{DayShift, Effective, Presence, day, effective, present};
