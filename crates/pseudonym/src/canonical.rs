//! One person, one id — without a key: equivalent spellings of a valid
//! Swedish identity number are grouped, shown under one of their spellings.

use rustc_hash::{FxHashMap, FxHashSet};

use loggningsindex_format::{IdColumn, IdMapper, RejectReason};
use time::Date;

use crate::{Domain, canonical, looks_swedish};

/// Groups the spellings of valid personnummer, samordningsnummer and
/// organisationsnummer (`19811218-9876`, `198112189876` and `811218-9876` are
/// one person; `556036-0793` and `5560360793` one company) when no key is
/// used, so that one person is never counted as several. Ids are computed
/// under the canonical number and shown ([`Canonicalizer::display`]) under
/// the smallest spelling that occurred, so an output id is always one the
/// input used. Ids shaped like Swedish numbers but invalid are kept as
/// written (without a key nothing is rejected for it) and counted, so the
/// caller can warn; everything else is kept as written.
///
/// ```
/// use loggningsindex_format::{IdColumn, IdMapper};
/// use loggningsindex_pseudonym::{Canonicalizer, Domain};
/// use time::macros::date;
///
/// let mut c = Canonicalizer::new(date!(2026-11-28));
/// let a = c.map(IdColumn::Person, "19811218-9876").unwrap();
/// assert_eq!(c.map(IdColumn::Person, "811218-9876").unwrap(), a);
/// let firm = c.map(IdColumn::Company, "5560360793").unwrap();
/// assert_eq!(c.map(IdColumn::Company, "556036-0793").unwrap(), firm);
/// assert_eq!(c.display(Domain::Company, &firm), "556036-0793");
/// assert_eq!(c.map(IdColumn::Person, "811218-9877").unwrap(), "811218-9877");
/// assert_eq!(c.invalid(), 1);
/// ```
#[derive(Debug)]
pub struct Canonicalizer {
    reference: Date,
    /// Per canonical organisationsnummer (or sole trader's personnummer), the
    /// smallest spelling seen — only companies are ever shown.
    spellings: FxHashMap<String, String>,
    /// Swedish-shaped but invalid ids, per domain.
    invalid: FxHashSet<(Domain, String)>,
}

impl Canonicalizer {
    /// Ten-digit numbers get their century against `reference`.
    pub fn new(reference: Date) -> Self {
        Canonicalizer {
            reference,
            spellings: FxHashMap::default(),
            invalid: FxHashSet::default(),
        }
    }

    /// The spelling to show for an id this canonicalizer produced.
    pub fn display<'a>(&'a self, domain: Domain, id: &'a str) -> &'a str {
        match domain {
            Domain::Company => self.spellings.get(id).map_or(id, String::as_str),
            _ => id,
        }
    }

    /// How many distinct ids looked like Swedish identity numbers but were
    /// not valid ones (kept as written).
    pub fn invalid(&self) -> usize {
        self.invalid.len()
    }
}

impl IdMapper for Canonicalizer {
    fn shown(&self, column: IdColumn, id: &str) -> String {
        self.display(Domain::from(column), id).to_owned()
    }

    fn map(&mut self, column: IdColumn, raw: &str) -> Result<String, RejectReason> {
        let domain = Domain::from(column);
        if !matches!(domain, Domain::Person | Domain::Company) || !looks_swedish(raw) {
            return Ok(raw.to_string());
        }
        match canonical(domain, raw, self.reference) {
            Ok(number) if domain == Domain::Company => {
                let shown = self
                    .spellings
                    .entry(number.clone())
                    .or_insert_with(|| raw.to_string());
                if raw < shown.as_str() {
                    *shown = raw.to_string();
                }
                Ok(number)
            }
            Ok(number) => Ok(number),
            Err(_) => {
                self.invalid.insert((domain, raw.to_string()));
                Ok(raw.to_string())
            }
        }
    }
}
