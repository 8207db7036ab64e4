//! Splitting work by person across machines: a stable hash decides.

use core::fmt;
use core::str::FromStr;

use crate::error::Error;

/// Partition `index` of `count`: the people whose stable hash modulo `count` is
/// `index`, and the rejected rows whose line number modulo `count` is `index`.
///
/// The hash is 64-bit FNV-1a over the UTF-8 bytes of the person's id as it
/// appears in the result (the pseudonym, when pseudonymising): the same on every
/// machine and in every version, so partitions computed apart fit together.
///
/// ```
/// use loggningsindex_bulk::Partition;
///
/// let p: Partition = "2/8".parse()?;
/// assert_eq!((p.index(), p.count()), (2, 8));
/// assert!("8/8".parse::<Partition>().is_err());
/// # Ok::<(), loggningsindex_bulk::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Partition {
    index: u32,
    count: u32,
}

impl Partition {
    /// Partition `index` of `count`.
    ///
    /// # Errors
    ///
    /// [`Error::BadPartition`] unless `index < count`.
    pub fn new(index: u32, count: u32) -> Result<Self, Error> {
        if index < count {
            Ok(Partition { index, count })
        } else {
            Err(Error::BadPartition {
                text: format!("{index}/{count}"),
            })
        }
    }

    /// Which partition, from 0.
    pub fn index(self) -> u32 {
        self.index
    }

    /// How many partitions in all.
    pub fn count(self) -> u32 {
        self.count
    }

    /// Whether the person with this (output) id belongs to the partition.
    pub fn contains(self, person: &str) -> bool {
        stable_hash(person.as_bytes()) % u64::from(self.count) == u64::from(self.index)
    }

    /// Whether a rejected row on this line is counted in the partition.
    pub fn owns_line(self, line: u64) -> bool {
        line % u64::from(self.count) == u64::from(self.index)
    }
}

impl FromStr for Partition {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let bad = || Error::BadPartition {
            text: text.to_string(),
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let (i, n) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        Partition::new(i, n).map_err(|_| bad())
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a.
fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_pinned() {
        // Changing these values breaks every stored partial result.
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(stable_hash(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn every_person_in_exactly_one_partition() {
        for id in ["19850312-2384", "p_00ff", "x", ""] {
            let owners = (0..5)
                .filter(|i| Partition::new(*i, 5).unwrap().contains(id))
                .count();
            assert_eq!(owners, 1);
        }
    }

    #[test]
    fn parsing() {
        assert_eq!("0/1".parse::<Partition>(), Partition::new(0, 1));
        for bad in ["1/1", "a/2", "1", "-1/2", "1/0", ""] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }
}
