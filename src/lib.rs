//! **loggningsindex**: the ID06 Loggningsindex from personalliggare events.
//!
//! This facade re-exports the workspace's library crates, so programs and
//! examples can write `use loggningsindex::core::…`, `loggningsindex::bulk::…`
//! and so on. Each crate's own documentation says what it does and does not do.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use loggningsindex_bulk as bulk;
pub use loggningsindex_cards as cards;
pub use loggningsindex_core as core;
pub use loggningsindex_format as format;
pub use loggningsindex_pseudonym as pseudonym;
pub use loggningsindex_register as register;
pub use loggningsindex_report as report;
pub use loggningsindex_synth as synth;
pub use loggningsindex_zone as zone;

/// The README's code blocks, compiled and run as doc tests so they cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
