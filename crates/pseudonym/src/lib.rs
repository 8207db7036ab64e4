//! Pseudonymisation: validated Swedish identities in, keyed pseudonyms out.
//!
//! The index is computed on pseudonymised data. This crate turns every
//! identifier into a keyed, deterministic, irreversible pseudonym:
//! `HMAC-SHA256(key, domain ‖ canonical id)`, truncated to 128 bits and
//! printed in hex behind a prefix that says what it stands for: `p_` person,
//! `c_` company, `s_` site, `k_` card. Personnummer, samordningsnummer and
//! organisationsnummer are validated and brought to one canonical spelling
//! first, so that `19900101-0017`, `199001010017` and `900101-0017` are one
//! person; other ids are trimmed and case-folded.
//!
//! ```
//! use loggningsindex_pseudonym::{Domain, Key, Pseudonymizer};
//! use time::macros::date;
//!
//! let key = Key::from_hex(&"5a".repeat(32))?;
//! let p = Pseudonymizer::new(key, date!(2026-11-28));
//! let a = p.pseudonym(Domain::Person, "19900101-0017").unwrap();
//! assert_eq!(a, p.pseudonym(Domain::Person, "900101-0017").unwrap());
//! assert!(a.starts_with("p_") && a.len() == 34);
//! // An invalid number is refused, and the reason does not repeat it.
//! let err = p.pseudonym(Domain::Person, "19900101-0018").unwrap_err();
//! assert_eq!(err.to_string(), "bad check digit");
//! # Ok::<(), loggningsindex_pseudonym::Error>(())
//! ```
//!
//! There is deliberately no way back from a person's pseudonym. A company that
//! activates its report can be found again from its organisationsnummer with
//! the key ([`Pseudonymizer::pseudonym`] with [`Domain::Company`]).
//!
//! # What this crate does not do
//!
//! It does not encrypt: a pseudonym cannot be decoded, only recomputed from the
//! identifier and the key. Keep the key apart from the data (`docs/privacy.md`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod canonical;
mod error;
mod file;
mod identity;
mod key;

use hmac::{Hmac, KeyInit, Mac};
use loggningsindex_format::{IdColumn, IdMapper, RejectReason};
use rustc_hash::FxHashMap;
use sha2::Sha256;
use time::Date;

pub use canonical::Canonicalizer;
pub use error::{Error, Result};
pub use file::{FileError, FileStats, PseudonymizeOptions, pseudonymize_csv};
pub use identity::{IdentityError, Organisationsnummer, Personnummer, looks_swedish};
pub use key::{KEY_BYTES, Key, MAX_KEY_FILE_BYTES};

/// What an identifier stands for; each kind is pseudonymised in its own domain,
/// so equal text in two columns gives unrelated pseudonyms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Domain {
    /// An individual (`p_…`).
    Person,
    /// A company (`c_…`).
    Company,
    /// A site (`s_…`).
    Site,
    /// An ID06 card (`k_…`).
    Card,
}

impl Domain {
    /// The prefix of pseudonyms in this domain.
    pub fn prefix(self) -> &'static str {
        match self {
            Domain::Person => "p",
            Domain::Company => "c",
            Domain::Site => "s",
            Domain::Card => "k",
        }
    }

    /// A small number per domain, for tables indexed by domain.
    fn index(self) -> usize {
        self as usize
    }

    fn tag(self) -> &'static [u8] {
        match self {
            Domain::Person => b"loggningsindex/v1/person",
            Domain::Company => b"loggningsindex/v1/company",
            Domain::Site => b"loggningsindex/v1/site",
            Domain::Card => b"loggningsindex/v1/card",
        }
    }
}

impl From<IdColumn> for Domain {
    fn from(column: IdColumn) -> Self {
        match column {
            IdColumn::Person => Domain::Person,
            IdColumn::Company => Domain::Company,
            IdColumn::Site => Domain::Site,
            IdColumn::Card => Domain::Card,
        }
    }
}

/// The canonical spelling of an identifier in a domain.
///
/// Persons: a personnummer or samordningsnummer as twelve digits; any other
/// text (a foreign id) trimmed and case-folded. Companies: an
/// organisationsnummer as ten digits, or a sole trader's personnummer as twelve;
/// other text trimmed and case-folded. Sites and cards: trimmed and case-folded.
/// Normalising a canonical spelling again changes nothing.
///
/// # Errors
///
/// [`IdentityError`] for text shaped like a Swedish number that is not a valid one.
pub fn canonical(domain: Domain, raw: &str, reference: Date) -> Result<String, IdentityError> {
    let raw = raw.trim();
    match domain {
        Domain::Person if looks_swedish(raw) => {
            Ok(Personnummer::parse(raw, reference)?.canonical())
        }
        Domain::Company if looks_swedish(raw) => match Organisationsnummer::parse(raw) {
            Ok(org) => Ok(org.canonical()),
            Err(IdentityError::NotOrganisation) => Personnummer::parse(raw, reference)
                .map(|p| p.canonical())
                .map_err(|_| IdentityError::NotOrganisation),
            Err(e) => Err(e),
        },
        _ => Ok(raw.to_lowercase()),
    }
}

/// Whether two ids in `domain` name the same one: equal as written, or two
/// valid spellings of one Swedish identity number (`556036-0793` and
/// `5560360793`). Ten-digit personnummer get their century against
/// `reference`.
///
/// ```
/// use loggningsindex_pseudonym::{Domain, same_identity};
/// use time::macros::date;
///
/// let today = date!(2026-11-28);
/// assert!(same_identity(Domain::Person, "19811218-9876", "811218-9876", today));
/// assert!(same_identity(Domain::Site, "BPL-1", "BPL-1", today));
/// assert!(!same_identity(Domain::Site, "BPL-1", "bpl-1", today));
/// ```
pub fn same_identity(domain: Domain, a: &str, b: &str, reference: Date) -> bool {
    a == b
        || (looks_swedish(a)
            && looks_swedish(b)
            && matches!(
                (canonical(domain, a, reference), canonical(domain, b, reference)),
                (Ok(x), Ok(y)) if x == y
            ))
}

/// Makes pseudonyms with one key; remembers every id it has seen, so a file
/// with millions of rows costs one HMAC per distinct identifier.
#[derive(Debug)]
pub struct Pseudonymizer {
    key: Key,
    reference: Date,
    /// Per domain (indexed by [`Domain::index`]): raw spelling → answer. Looked
    /// up by `&str`, so a repeated id costs no allocation.
    memo: [FxHashMap<Box<str>, Result<String, IdentityError>>; 4],
}

impl Pseudonymizer {
    /// A pseudonymizer with `key`; ten-digit personnummer are read against
    /// `reference` (see [`Personnummer::parse`]).
    pub fn new(key: Key, reference: Date) -> Self {
        Pseudonymizer {
            key,
            reference,
            memo: Default::default(),
        }
    }

    /// The pseudonym of `raw` in `domain`: `prefix_` and 32 hex digits.
    ///
    /// # Errors
    ///
    /// [`IdentityError`] for an invalid Swedish identity number.
    pub fn pseudonym(&self, domain: Domain, raw: &str) -> Result<String, IdentityError> {
        let canonical = canonical(domain, raw, self.reference)?;
        Ok(self.pseudonym_of_canonical(domain, &canonical))
    }

    fn pseudonym_of_canonical(&self, domain: Domain, canonical: &str) -> String {
        // HMAC takes keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.key.bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts 32-byte keys"));
        mac.update(domain.tag());
        mac.update(&[0]);
        mac.update(canonical.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("{}_{}", domain.prefix(), hex::encode(&digest[..16]))
    }

    /// As [`pseudonym`](Self::pseudonym), remembering the answer.
    ///
    /// # Errors
    ///
    /// [`IdentityError`] for an invalid Swedish identity number.
    pub fn pseudonym_memo(&mut self, domain: Domain, raw: &str) -> Result<String, IdentityError> {
        if let Some(found) = self.memo[domain.index()].get(raw) {
            return found.clone();
        }
        let result = self.pseudonym(domain, raw);
        self.memo[domain.index()].insert(raw.into(), result.clone());
        result
    }

    /// How many distinct identifiers were pseudonymised (HMACs computed).
    pub fn distinct(&self) -> usize {
        self.memo.iter().map(FxHashMap::len).sum()
    }
}

/// The reject reason of an invalid identity number: which column and what is
/// wrong, never the number.
pub fn reject_reason(column: IdColumn, error: IdentityError) -> RejectReason {
    let detail = match error {
        IdentityError::Shape => "wrong length or shape",
        IdentityError::CheckDigit => "bad check digit",
        IdentityError::Date => "impossible date",
        IdentityError::Future => "birth date in the future",
        IdentityError::NotOrganisation => "not an organisationsnummer",
        IdentityError::Serial => "birth number 000 is never issued",
        IdentityError::Separator => "separator contradicts the birth year",
    };
    RejectReason::InvalidId { column, detail }
}

impl IdMapper for Pseudonymizer {
    fn map(&mut self, column: IdColumn, raw: &str) -> Result<String, RejectReason> {
        self.pseudonym_memo(column.into(), raw)
            .map_err(|e| reject_reason(column, e))
    }
}
