//! The staff register as a service (`loggningsindex serve`): terminals
//! register check-ins and check-outs against the card register, companies
//! block their cards and read their index, inspectors see who is present.
//!
//! - **Storage**: one SQLite file ([`store`]) in WAL mode, every commit
//!   synced; its schema versioned and migrated on start.
//! - **The ledger**: registrations form the same hash chain as the ledger
//!   file (`loggningsindex-register`), so [`export_ledger`] writes a file
//!   that `ledger verify` checks, and the head answered with each
//!   registration can be checked against it later.
//! - **One writer** ([`writer`]): every change goes through one thread that
//!   commits what is waiting in one transaction, and answers only after the
//!   commit; a full disk fails the batch with `503` and nothing half-written.
//! - **Secrets at rest** ([`Secrets`]): identity numbers and names are
//!   sealed with XChaCha20-Poly1305 under a key file that is never in the
//!   database; rows are found by keyed pseudonyms.
//! - **Tokens** ([`tokens`]): bearer tokens stored as hashes, each with one
//!   role and one site or company.
//!
//! The HTTP contract and what the service holds under load, crashes and a
//! full disk are in `docs/service.md`.
//!
//! ```no_run
//! use loggningsindex_service::{Location, Options, serve};
//!
//! let location = Location::new("register.db".as_ref(), None);
//! let options = Options::new(location, "127.0.0.1:8406".parse()?);
//! serve(&options, |address, _tls| println!("listening on http://{address}"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod api;
pub mod cards;
mod error;
mod export;
pub mod http;
mod page;
pub mod queries;
mod secrets;
mod server;
pub mod store;
pub mod tokens;
pub mod writer;

pub use api::Tolerance;
pub use error::{Error, Result};
pub use export::export_ledger;
pub use secrets::Secrets;
pub use server::{Options, app, serve};
pub use store::{Location, SCHEMA_VERSION, Store};
pub use tokens::{Grant, Role, create_token, revoke_token};
