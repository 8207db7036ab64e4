//! Interning identifiers to compact integers, once per distinct key, so the
//! hot path never hashes or compares strings twice.
//!
//! Rows arrive with their (person, company, site) bytes side by side and a hash
//! of them computed by the parallel parsers; the sequential stage then pays one
//! probe and one comparison per row. At national cardinality (hundreds of
//! thousands of people and keys) the tables are kept small: a key's entry is
//! 68 bytes, and each column's output names are stored once, back to back.

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

/// A row's (person, company, site) as read: the bytes back to back, their
/// lengths, and [`key_hash`] of them (computed by the parsers).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawKey<'a> {
    pub(crate) hash: u64,
    pub(crate) bytes: &'a [u8],
    pub(crate) lens: [u32; 3],
}

fn name_hash(name: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(name.as_bytes());
    h.finish()
}

/// Distinct names, each stored once, numbered from 0 in order of first sight.
#[derive(Debug, Default)]
struct Names {
    table: HashTable<u32>,
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<usize>,
}

impl Names {
    fn get(&self, id: u32) -> &str {
        name_at(&self.text, &self.ends, id)
    }

    /// The number of `name`, given one if it is new.
    fn id(&mut self, name: &str) -> u32 {
        let hash = name_hash(name);
        let (text, ends) = (&self.text, &self.ends);
        if let Some(&id) = self.table.find(hash, |&i| name_at(text, ends, i) == name) {
            return id;
        }
        let id = self.ends.len() as u32;
        self.text.push_str(name);
        self.ends.push(self.text.len());
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .insert_unique(hash, id, |&i| name_hash(name_at(text, ends, i)));
        id
    }
}

fn name_at<'a>(text: &'a str, ends: &[usize], id: u32) -> &'a str {
    let id = id as usize;
    let start = if id == 0 { 0 } else { ends[id - 1] };
    &text[start..ends[id]]
}

/// One column's ids: spellings mapped to output names, equal names one id.
#[derive(Debug, Default)]
struct Column {
    /// Raw spelling → id, or why the spelling is rejected — for companies and
    /// sites. A person's spellings are about as many as their keys, which the
    /// key table already remembers, so keeping them again would only cost
    /// memory (30 MB at national scale).
    memo: Option<FxHashMap<Box<str>, Result<u32, RejectReason>>>,
    names: Names,
}

impl Column {
    fn memoised() -> Self {
        Column {
            memo: Some(FxHashMap::default()),
            names: Names::default(),
        }
    }

    fn intern(
        &mut self,
        column: IdColumn,
        raw: &str,
        mapper: &mut dyn IdMapper,
    ) -> Result<u32, RejectReason> {
        if let Some(found) = self.memo.as_ref().and_then(|memo| memo.get(raw)) {
            return *found;
        }
        let result = mapper.map(column, raw).map(|name| self.names.id(&name));
        if let Some(memo) = &mut self.memo {
            memo.insert(raw.into(), result);
        }
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

/// [`KeyEntry::state`] of a key whose person is in the partition computed.
const IN_PARTITION: u32 = 0;
/// … whose person is in another partition.
const OUT_OF_PARTITION: u32 = 1;
/// … rejected: the reason is `Interner::reasons[state - REJECTED]`.
const REJECTED: u32 = 2;

/// One distinct raw (person, company, site): 68 bytes.
#[derive(Debug)]
struct KeyEntry {
    /// The key's bytes when they fit; otherwise the first 8 bytes hold where
    /// they start in `Interner::long` (little-endian).
    inline: [u8; INLINE],
    lens: [u32; 3],
    key: Key<u32>,
    state: u32,
}

impl KeyEntry {
    fn bytes<'a>(&'a self, long: &'a [u8]) -> &'a [u8] {
        let len = self.lens.iter().map(|&l| l as usize).sum::<usize>();
        if len <= INLINE {
            &self.inline[..len]
        } else {
            let mut start = [0u8; 8];
            start.copy_from_slice(&self.inline[..8]);
            let start = u64::from_le_bytes(start) as usize;
            &long[start..start + len]
        }
    }

    fn is(&self, long: &[u8], raw: RawKey<'_>) -> bool {
        self.lens == raw.lens && self.bytes(long) == raw.bytes
    }
}

/// Interns (person, company, site) triples with one probe per row.
#[derive(Debug)]
pub(crate) struct Interner {
    keys: HashTable<u32>,
    entries: Vec<KeyEntry>,
    /// The bytes of keys longer than [`INLINE`].
    long: Vec<u8>,
    /// Why rejected keys were rejected.
    reasons: Vec<RejectReason>,
    persons: Column,
    companies: Column,
    sites: Column,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            keys: HashTable::new(),
            entries: Vec::new(),
            long: Vec::new(),
            reasons: Vec::new(),
            persons: Column::default(),
            companies: Column::memoised(),
            sites: Column::memoised(),
        }
    }
}

impl Interner {
    /// The dense index of a key seen before, without changing anything.
    pub(crate) fn find(&self, raw: RawKey<'_>) -> Option<u32> {
        let (entries, long) = (&self.entries, &self.long);
        self.keys
            .find(raw.hash, |&i| entries[i as usize].is(long, raw))
            .copied()
    }

    /// The key of a row's identifiers, or why one of them is rejected; as
    /// [`find`](Self::find), but a key seen for the first time is resolved
    /// and kept.
    pub(crate) fn resolve(
        &mut self,
        raw: RawKey<'_>,
        mapper: &mut dyn IdMapper,
        partition: Option<Partition>,
    ) -> Result<Resolved, RejectReason> {
        let index = match self.find(raw) {
            Some(index) => index,
            None => self.insert(raw, mapper, partition),
        };
        self.resolved(index)
    }

    /// What the key with dense index `index` resolved to.
    pub(crate) fn resolved(&self, index: u32) -> Result<Resolved, RejectReason> {
        let entry = &self.entries[index as usize];
        match entry.state {
            IN_PARTITION | OUT_OF_PARTITION => Ok(Resolved {
                key: entry.key,
                index,
                in_partition: entry.state == IN_PARTITION,
            }),
            rejected => Err(self.reasons[(rejected - REJECTED) as usize]),
        }
    }

    /// Resolves a key seen for the first time and stores its entry.
    fn insert(
        &mut self,
        raw: RawKey<'_>,
        mapper: &mut dyn IdMapper,
        partition: Option<Partition>,
    ) -> u32 {
        let RawKey {
            hash,
            bytes: triple,
            lens,
        } = raw;
        let index = self.entries.len() as u32;
        let (key, state) = match self.resolve_new(triple, lens, mapper, partition) {
            Ok((key, true)) => (key, IN_PARTITION),
            Ok((key, false)) => (key, OUT_OF_PARTITION),
            Err(reason) => {
                self.reasons.push(reason);
                let state = REJECTED + self.reasons.len() as u32 - 1;
                (Key::new(0, 0, 0), state)
            }
        };
        let mut inline = [0u8; INLINE];
        if triple.len() <= INLINE {
            inline[..triple.len()].copy_from_slice(triple);
        } else {
            inline[..8].copy_from_slice(&(self.long.len() as u64).to_le_bytes());
            self.long.extend_from_slice(triple);
        }
        self.entries.push(KeyEntry {
            inline,
            lens,
            key,
            state,
        });
        let (entries, long) = (&self.entries, &self.long);
        self.keys.insert_unique(hash, index, |&i| {
            let entry = &entries[i as usize];
            key_hash(entry.bytes(long), entry.lens)
        });
        index
    }

    /// The key of a new raw triple and whether its person is in the
    /// partition, or why it is rejected.
    fn resolve_new(
        &mut self,
        triple: &[u8],
        [p, c, _]: [u32; 3],
        mapper: &mut dyn IdMapper,
        partition: Option<Partition>,
    ) -> Result<(Key<u32>, bool), RejectReason> {
        // The parsers checked every identifier to be UTF-8.
        let text = core::str::from_utf8(triple).map_err(|_| RejectReason::InvalidUtf8)?;
        let (person, rest) = text.split_at(p as usize);
        let (company, site) = rest.split_at(c as usize);
        let p = self.persons.intern(IdColumn::Person, person, mapper)?;
        let c = self.companies.intern(IdColumn::Company, company, mapper)?;
        let s = self.sites.intern(IdColumn::Site, site, mapper)?;
        let in_partition = partition.is_none_or(|part| part.contains(self.persons.names.get(p)));
        Ok((Key::new(p, c, s), in_partition))
    }

    /// The output name of a company id.
    pub(crate) fn company(&self, id: u32) -> &str {
        self.companies.names.get(id)
    }

    /// The output name of a site id.
    pub(crate) fn site(&self, id: u32) -> &str {
        self.sites.names.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Verbatim;

    fn resolve(interner: &mut Interner, ids: [&str; 3]) -> Result<Resolved, RejectReason> {
        let triple = ids.concat();
        let lens = ids.map(|id| id.len() as u32);
        let raw = RawKey {
            hash: key_hash(triple.as_bytes(), lens),
            bytes: triple.as_bytes(),
            lens,
        };
        interner.resolve(raw, &mut Verbatim, None)
    }

    #[test]
    fn an_entry_is_sixty_eight_bytes() {
        assert_eq!(size_of::<KeyEntry>(), 68);
    }

    #[test]
    fn short_and_long_keys_are_told_apart_by_every_byte() {
        let mut interner = Interner::default();
        let long = "p".repeat(INLINE);
        let longer = format!("{long}x");
        let keys = [
            ["p1", "c1", "s1"],
            ["p1", "c1s", "1"],
            ["p1", "c", "1s1"],
            [&long, "c1", "s1"],
            [&longer, "c1", "s1"],
            [&long, "c1", "s2"],
        ];
        let first: Vec<Resolved> = keys
            .iter()
            .map(|ids| resolve(&mut interner, *ids).unwrap())
            .collect();
        // Every spelling is its own key, numbered in order of first sight…
        let indexes: Vec<u32> = first.iter().map(|r| r.index).collect();
        assert_eq!(indexes, [0, 1, 2, 3, 4, 5]);
        // …and found again, with the same ids, in any order and after growth.
        for i in 0..1000 {
            resolve(&mut interner, [&format!("q{i}"), "c9", "s9"]).unwrap();
        }
        for (ids, was) in keys.iter().zip(&first).rev() {
            let again = resolve(&mut interner, *ids).unwrap();
            assert_eq!((again.index, again.key), (was.index, was.key));
        }
        assert_eq!(first[0].key.person, first[1].key.person);
        assert_ne!(first[1].key.company, first[2].key.company);
        assert_eq!(interner.company(first[3].key.company), "c1");
        assert_eq!(interner.site(first[5].key.site), "s2");
    }

    #[test]
    fn a_rejected_key_keeps_its_reason() {
        struct NoSites;
        impl IdMapper for NoSites {
            fn map(&mut self, column: IdColumn, raw: &str) -> Result<String, RejectReason> {
                match column {
                    IdColumn::Site => Err(RejectReason::Empty("site")),
                    _ => Ok(raw.to_string()),
                }
            }
        }
        let mut interner = Interner::default();
        let triple = "p1c1s1";
        let raw = RawKey {
            hash: key_hash(triple.as_bytes(), [2, 2, 2]),
            bytes: triple.as_bytes(),
            lens: [2, 2, 2],
        };
        for _ in 0..2 {
            let result = interner.resolve(raw, &mut NoSites, None);
            assert_eq!(result.unwrap_err(), RejectReason::Empty("site"));
        }
    }
}
