//! ID06 cards around the index.
//!
//! - **Cards** ([`Card`], [`CardRegister`]): numbers (`AB-1234567890`),
//!   validity periods and blocking; whether a card may be used at an instant
//!   and why not; cards about to expire; the yearly fee basis per company.
//! - **Compliance** ([`check_events`]): registrations made with unknown,
//!   blocked, expired or not yet valid cards, per company — shown next to the
//!   index, never mixed into it.
//!
//! ```
//! use loggningsindex_cards::{BlockReason, Card, CardNumber, StatusChange, Validity};
//! use loggningsindex_core::Timestamp;
//! use time::macros::{date, datetime};
//!
//! let at = |t| Timestamp::from_offset_datetime(t).unwrap();
//! let card = Card {
//!     number: "AB-1234567890".parse()?,
//!     holder: "p1".into(),
//!     name: String::new(),
//!     company: "556677-8899".into(),
//!     valid_from: date!(2026-01-01),
//!     valid_to: date!(2026-12-31),
//!     history: vec![StatusChange::Blocked { at: at(datetime!(2026-06-01 12:00 +02:00)), reason: BlockReason::Lost }],
//! };
//! assert_eq!(card.validity(at(datetime!(2026-06-01 11:59 +02:00))), Validity::Valid);
//! assert!(matches!(card.validity(at(datetime!(2026-06-01 12:00 +02:00))), Validity::Blocked { .. }));
//! assert!(matches!(card.validity(at(datetime!(2027-01-01 00:00 +01:00))), Validity::Expired { .. }));
//! # Ok::<(), loggningsindex_cards::CardNumberError>(())
//! ```
//!
//! # What this crate does not do
//!
//! It does not issue cards or talk to ID06's systems; it reads files. The
//! staff register itself is `loggningsindex-register`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod card;
mod cards;
mod compliance;
mod error;

pub use card::{BlockReason, Card, CardNumber, CardNumberError, StatusChange, Validity};
pub use cards::{CARD_COLUMNS, CardRegister};
pub use compliance::{CompanyCompliance, Compliance, Finding, check_events};
pub use error::{Error, Result};
pub use loggningsindex_format::{Reject, RejectReason};
