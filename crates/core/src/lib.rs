//! The sans-IO core of **loggningsindex**: the rules of the ID06 Loggningsindex.
//!
//! From check-in and check-out events (person, company, site, instant, `IN`/`OUT`)
//! this crate forms work shifts (*arbetspass*), judges each one as correct or
//! deficient, and tallies the classes per company, company × site and company ×
//! month. The rules are those of `docs/rules.md`, restated with every interpretation in
//! the project's `docs/rules.md`.
//!
//! # Example
//!
//! ```
//! use loggningsindex_core::{summarize, Direction::*, Event, Key, Timestamp};
//! use time::macros::datetime;
//!
//! let at = |t| Timestamp::from_offset_datetime(t).unwrap();
//! let anna = Key::new("p-anna", "556677-8899", "BPL-1");
//! let bo = Key::new("p-bo", "556677-8899", "BPL-1");
//! let mut events = vec![
//!     Event::new(anna, at(datetime!(2026-03-02 07:00 +01:00)), In),
//!     Event::new(anna, at(datetime!(2026-03-02 16:00 +01:00)), Out),
//!     Event::new(bo, at(datetime!(2026-03-02 22:00 +01:00)), In),
//!     Event::new(bo, at(datetime!(2026-03-03 06:00 +01:00)), Out), // night shift
//!     Event::new(bo, at(datetime!(2026-03-04 07:00 +01:00)), In), // forgot OUT
//! ];
//! let summary = summarize(&mut events);
//! let company = &summary.companies["556677-8899"];
//! assert_eq!(company.stats.individuals, 2);
//! assert_eq!(company.stats.tally.shifts(), 3);
//! assert_eq!(company.stats.tally.rounded_index(), Some(66.7));
//! ```
//!
//! # Two ways in
//!
//! - **Batch** ([`SortedEvents`]): any set of events, in any order; sort once,
//!   then iterate the shifts. No allocation per event.
//! - **Streaming** ([`ShiftBuilder`]): events pushed in time order, each shift
//!   handed out as soon as it is final. Same shifts as the batch API.
//!
//! Both feed an [`Aggregator`], whose [`Summary`] merges with others computed on
//! disjoint sets of individuals.
//!
//! # Identifiers
//!
//! Events are generic over the identifier type `Id` used for people, companies
//! and sites. Use `&str` for small programs and interned integers (`u32`) for
//! bulk work, so that the hot loop never compares strings.
//!
//! # What this crate does not do
//!
//! - No I/O: it reads no files, parses no CSV, writes no reports.
//! - No clock, no threads, no randomness: every result is a function of its
//!   inputs. "Now" is a parameter ([`ShiftBuilder::advance_to`]).
//! - No time-zone database: each event carries the UTC offset in force at its
//!   site at its instant; the caller derives it (the bulk crate does, from IANA
//!   zones).
//! - No pseudonymisation and no identity validation: identifiers are opaque.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod aggregate;
mod batch;
mod error;
mod event;
mod shift;
mod stream;
mod tally;

#[cfg(test)]
mod proptests;
#[cfg(any(test, feature = "reference"))]
pub mod reference;
#[cfg(test)]
mod rules_tests;
#[cfg(any(test, feature = "proptest"))]
pub mod strategies;
#[cfg(test)]
mod testutil;

pub use aggregate::{Aggregator, CompanySummary, GroupStats, Summary, YearMonth};
pub use batch::{Shifts, SortedEvents, shifts_of_key};
pub use error::{Error, Result};
pub use event::{
    Direction, Event, Key, NANOS_PER_DAY, NANOS_PER_SECOND, Origin, Timestamp,
    date_from_epoch_days, epoch_days,
};
pub use shift::{BURST_NANOS, Class, Shift, WINDOW_NANOS};
pub use stream::ShiftBuilder;
pub use tally::Tally;

/// Forms, judges and tallies the shifts of `events` (sorted in place), in one call.
///
/// Equivalent to sorting with [`SortedEvents::sort`], pushing every shift into an
/// [`Aggregator`], and finishing it.
pub fn summarize<Id: Ord + Clone + core::hash::Hash>(events: &mut [Event<Id>]) -> Summary<Id> {
    let mut aggregator = Aggregator::new();
    for (_, shift) in SortedEvents::sort(events).shifts() {
        aggregator.push(&shift);
    }
    aggregator.finish()
}
