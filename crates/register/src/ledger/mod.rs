//! The staff register as an append-only, hash-chained file.
//!
//! One entry per line: `seq TAB prev TAB hash TAB payload`, where `payload` is
//! the entry as one line of JSON, `prev` the previous entry's hash (64 zeros
//! for the first), and `hash = SHA-256(seq TAB prev TAB payload)` in hex. Any
//! edit, deletion, insertion or reordering of lines breaks the chain at the
//! first changed entry. Each append is fsynced, and the latest sequence number
//! and hash are kept in `LEDGER.head`, which is mandatory once the ledger has
//! an entry, so that cutting whole entries off the end is detected too; a head
//! published elsewhere ([`Head::published`]) proves more, since it cannot be
//! rewritten along with the files. Every append holds an exclusive lock on the
//! ledger, so concurrent appenders are serialised. Both files are created
//! readable by their owner only (mode 0600): the ledger holds identities.
//! See `docs/ledger.md`.
//!
//! The chain is sans-IO, as quinn-proto is beside quinn: [`parse_chain`]
//! verifies bytes, [`write_entries`] encodes new entries to any `Write`. The
//! file layer — [`append`], [`read`], [`verify`] — adds the lock, the head
//! file and fsync, and nothing else.

mod chain;
mod file;
mod import;
mod prune;

use loggningsindex_core::{Direction, Origin, Timestamp};
use serde::{Deserialize, Serialize};

pub use chain::{
    Chain, Checkpoint, Encoded, GENESIS, encode_registration, parse_chain, write_entries,
};
pub use file::{append, create, read, verify};
pub use import::import_events;
pub use prune::{PrunePlan, PruneStep, plan_prune, prune, retention_ended};

/// A registration: someone checked in or out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The person's id.
    pub person: String,
    /// The company whose card was used.
    pub company: String,
    /// The site.
    pub site: String,
    /// The card number (may be empty).
    pub card: String,
    /// The instant (stored as RFC 3339 with the site's offset).
    #[serde(with = "instant")]
    pub at: Timestamp,
    /// `IN` or `OUT` (`UT` in older ledgers reads as `OUT`).
    pub direction: Direction,
    /// The reader or terminal.
    pub device: String,
    /// How it was made (`card`, `app`, `manual`, `auto`); absent when not
    /// said, so ledgers written before origins were recorded read unchanged.
    #[serde(default, skip_serializing_if = "is_unknown")]
    pub origin: Origin,
    /// A random value written by the register service (`serve`), so that an
    /// entry's hash cannot be matched against guessed identity numbers by
    /// someone who sees the hash and the entry's other fields but not the
    /// identity; absent in ledgers written by the file commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

fn is_unknown(origin: &Origin) -> bool {
    *origin == Origin::Unknown
}

/// What a correction does to the registration it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The registration should not have been made.
    Void,
    /// The registration's time or direction was wrong.
    Replace {
        /// The right instant.
        #[serde(with = "instant")]
        at: Timestamp,
        /// The right direction.
        direction: Direction,
    },
}

/// A correction: it never overwrites; it names the entry it corrects and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The sequence number of the registration corrected.
    pub corrects: u64,
    /// Why.
    pub reason: String,
    /// What it does.
    #[serde(flatten)]
    pub action: Action,
}

/// One ledger entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    /// A registration.
    Registration(Registration),
    /// A correction of an earlier registration.
    Correction(Correction),
}

/// The latest entry: its sequence number and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// Entries in the ledger (the last sequence number).
    pub seq: u64,
    /// The last entry's hash, hex.
    pub hash: String,
}

impl Head {
    /// The head as published to a third party: `SEQ:HASH`. Checking a ledger
    /// later against a published head ([`verify`]) proves that nothing up to
    /// that entry was changed or cut off since.
    pub fn published(&self) -> String {
        format!("{}:{}", self.seq, self.hash)
    }
}

/// Instants in payloads: RFC 3339 with the offset, as `2026-03-02T07:00:00+01:00`.
/// Ledgers written before instants were typed may hold any event-file
/// timestamp; a naive one is read in Europe/Stockholm, the zone the ledger
/// commands use.
mod instant {
    use loggningsindex_core::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};
    use time::format_description::well_known::Rfc3339;

    pub(super) fn serialize<S: Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        let text = at
            .to_offset_datetime()
            .format(&Rfc3339)
            .map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = <&str>::deserialize(d)?;
        let mut offsets = loggningsindex_zone::Zone::stockholm().offsets();
        loggningsindex_format::parse_timestamp(text, &mut offsets)
            .map_err(|e| serde::de::Error::custom(e.as_str()))
    }
}
