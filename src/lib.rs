//! **loggningsindex**: the ID06 Loggningsindex from personalliggare events.
//!
//! This facade re-exports the workspace's library crates, so programs and
//! examples can write `use loggningsindex::core::…`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use loggningsindex_core as core;

/// The README's code blocks, compiled and run as doc tests so they cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
