//! Synthetic personalliggare registers for tests, demos and benchmarks.
//!
//! Nobody may ship real personal data in a repository, yet every test, benchmark
//! and demo needs registers that behave like real ones. This crate generates
//! them: a seeded population of companies (heavy-tailed sizes, sole traders),
//! people (some with two companies' cards, some on nights) and sites (several
//! companies each, some with a vendor auto-check-out), working Monday to Friday
//! with some weekends, and logging the way real people do — mostly right, with
//! lunches, correction taps, double taps, forgotten check-ins and check-outs,
//! and night shifts, some longer than 13 hours.
//!
//! ```
//! use loggningsindex_core::{summarize, Event};
//! use loggningsindex_synth::Population;
//! use time::macros::date;
//!
//! let population = Population::builder()
//!     .seed(7)
//!     .companies(30)
//!     .dates(date!(2026-03-02), date!(2026-03-15))
//!     .build()?;
//! // Automatic check-outs (origin `auto`) take no part in shifts.
//! let mut events: Vec<Event<u32>> = population
//!     .events()
//!     .filter(|e| e.origin.takes_part())
//!     .map(|e| e.to_event())
//!     .collect();
//! let summary = summarize(&mut events);
//! assert_eq!(summary.companies.len(), population.companies().len());
//!
//! // The same seed gives the same register.
//! let again = Population::builder().seed(7).companies(30)
//!     .dates(date!(2026-03-02), date!(2026-03-15)).build()?;
//! assert!(population.events().eq(again.events()));
//! # Ok::<(), loggningsindex_synth::Error>(())
//! ```
//!
//! # Determinism
//!
//! Every output is a pure function of the builder's options: integer arithmetic
//! and a seeded `fastrand` generator (wyrand) only, so the same options give
//! byte-identical output on every machine. Each person and day has its own
//! random stream, so any day can be generated without the days before it.
//!
//! # Ground truth
//!
//! [`Population::truths`] says, for every planned shift, how the person logged
//! it ([`Behaviour`]), what they meant ([`Truth::intended`]), and which classes
//! the rules give its events ([`Truth::expected`]). The two differ exactly where
//! the rules cannot see intent: a night of more than 13 hours logged correctly
//! becomes two deficient shifts, and a vendor's automatic check-out can make a
//! forgotten check-out look correct (if within 13 hours) or split it in two.
//!
//! # Identifiers
//!
//! Personnummer and samordningsnummer (12 digits) and organisationsnummer have
//! correct check digits and real dates; sole traders' company ids are their
//! owners' personnummer (10 digits). They are drawn at random and describe no
//! real person, but a random valid number can coincide with a real person's:
//! never join synthetic data with real registers. With
//! [`PopulationBuilder::pseudonymised`], tokens (`p_…`, `c_…`, `s_…`, `k_…`)
//! replace them.
//!
//! # What this crate does not do
//!
//! It models no real company's behaviour and no real site; its proportions are
//! plausible, not measured.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod behaviour;
mod csv;
mod error;
mod events;
mod ids;
mod plan;
mod population;

pub use behaviour::{Behaviour, Profile};
pub use csv::{BAD_ROW_KINDS, CsvOptions, CsvStats, HEADER, Order, write_csv};
pub use error::{Error, Result};
pub use events::Events;
pub use plan::{SynthEvent, Truth};
pub use population::{
    Company, Person, Population, PopulationBuilder, Site, national, workforce_for_events,
};
