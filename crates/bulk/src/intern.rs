//! Interning identifiers to compact integers, once per distinct spelling, so
//! the hot path never hashes or compares strings twice.
//!
//! Rows arrive with their (person, company, site) bytes side by side and a hash
//! of them computed by the parallel parsers; the sequential stage then pays one
//! probe and one comparison per row.

use std::hash::Hasher;

use hashbrown::HashTable;
use loggningsindex_core::Key;
use rustc_hash::{FxHashMap, FxHasher};

use crate::{IdMapper, Partition};
use loggningsindex_format::{IdColumn, RejectReason};

/// The hash of a row's identifiers (back to back, with their lengths), as
/// the parsers compute it.
pub(crate) fn key_hash(triple: &[u8], lens: [u32; 3]) -> u64 {
    let mut h = FxHasher::default();
    h.write_u32(lens[0]);
    h.write_u32(lens[1]);
    h.write(triple);
    h.finish()
}

/// Distinct output ids of one column, numbered from 0.
#[derive(Debug, Default)]
struct Table {
    /// Raw spelling → id, or why the spelling is rejected (memoised too).
    raw: FxHashMap<Box<str>, Result<u32, RejectReason>>,
    /// Output id (after mapping) → id: equivalent spellings share an id.
    output: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Table {
    fn intern(
        &mut self,
        column: IdColumn,
        raw: &str,
        mapper: &mut dyn IdMapper,
    ) -> Result<u32, RejectReason> {
        if let Some(found) = self.raw.get(raw) {
            return *found;
        }
        let result = mapper.map(column, raw).map(|name| {
            let next = self.names.len() as u32;
            *self.output.entry(name.clone()).or_insert_with(|| {
                self.names.push(name);
                next
            })
        });
        self.raw.insert(raw.into(), result);
        result
    }
}

/// What a key's raw spelling resolved to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Resolved {
    pub(crate) key: Key<u32>,
    /// Dense number of the distinct raw key, from 0 in order of first sight.
    pub(crate) index: u32,
    /// Whether the person belongs to the partition being computed.
    pub(crate) in_partition: bool,
}

/// Key bytes up to this length are kept inside the entry itself, so that a
/// probe that finds its key touches one cache line instead of two.
const INLINE: usize = 40;

/// One distinct raw (person, company, site): its bytes inline when short,
/// otherwise in `Interner::bytes` from `start`.
#[derive(Debug)]
struct KeyEntry {
    hash: u64,
    start: usize,
    lens: [u32; 3],
    inline: [u8; INLINE],
    resolved: Result<Resolved, RejectReason>,
}

impl KeyEntry {
    fn is(&self, bytes: &[u8], triple: &[u8], lens: [u32; 3]) -> bool {
        self.lens == lens
            && if triple.len() <= INLINE {
                &self.inline[..triple.len()] == triple
            } else {
                &bytes[self.start..self.start + triple.len()] == triple
            }
    }
}

/// Interns (person, company, site) triples with one probe per row.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    keys: HashTable<u32>,
    entries: Vec<KeyEntry>,
    bytes: Vec<u8>,
    persons: Table,
    companies: Table,
    sites: Table,
}

impl Interner {
    /// The key of a row's identifiers, or why one of them is rejected.
    /// `triple` holds the person, company and site bytes back to back, `lens`
    /// their lengths, and `hash` is [`key_hash`] of them.
    pub(crate) fn resolve(
        &mut self,
        hash: u64,
        triple: &[u8],
        lens: [u32; 3],
        mapper: &mut dyn IdMapper,
        partition: Option<Partition>,
    ) -> Result<Resolved, RejectReason> {
        let (entries, bytes) = (&self.entries, &self.bytes);
        let found = self
            .keys
            .find(hash, |&i| entries[i as usize].is(bytes, triple, lens));
        if let Some(&i) = found {
            return self.entries[i as usize].resolved;
        }
        let index = self.entries.len() as u32;
        let resolved = self.resolve_new(triple, lens, mapper, partition, index);
        let start = self.bytes.len();
        let mut inline = [0u8; INLINE];
        if triple.len() <= INLINE {
            inline[..triple.len()].copy_from_slice(triple);
        } else {
            self.bytes.extend_from_slice(triple);
        }
        self.entries.push(KeyEntry {
            hash,
            start,
            lens,
            inline,
            resolved,
        });
        let entries = &self.entries;
        self.keys
            .insert_unique(hash, index, |&i| entries[i as usize].hash);
        resolved
    }

    fn resolve_new(
        &mut self,
        triple: &[u8],
        [p, c, _]: [u32; 3],
        mapper: &mut dyn IdMapper,
        partition: Option<Partition>,
        index: u32,
    ) -> Result<Resolved, RejectReason> {
        // The parsers checked every identifier to be UTF-8.
        let text = core::str::from_utf8(triple).map_err(|_| RejectReason::InvalidUtf8)?;
        let (person, rest) = text.split_at(p as usize);
        let (company, site) = rest.split_at(c as usize);
        let p = self.persons.intern(IdColumn::Person, person, mapper)?;
        let c = self.companies.intern(IdColumn::Company, company, mapper)?;
        let s = self.sites.intern(IdColumn::Site, site, mapper)?;
        let in_partition =
            partition.is_none_or(|part| part.contains(&self.persons.names[p as usize]));
        Ok(Resolved {
            key: Key::new(p, c, s),
            index,
            in_partition,
        })
    }

    /// The output name of a company id.
    pub(crate) fn company(&self, id: u32) -> &str {
        &self.companies.names[id as usize]
    }

    /// The output name of a site id.
    pub(crate) fn site(&self, id: u32) -> &str {
        &self.sites.names[id as usize]
    }
}
