//! The hash chain, sans-IO: verifying bytes, encoding new entries.

use std::io::Write;

use sha2::{Digest, Sha256};

use super::{Entry, Head, Registration};
use crate::error::{Broken, Error, Result};

/// The `prev` of the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A verified chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chain {
    /// Where the chain starts after pruning: the pruned part's final head and
    /// counts (`None` for a ledger never pruned).
    pub checkpoint: Option<Checkpoint>,
    /// The entries with their sequence numbers, in order.
    pub entries: Vec<(u64, Entry)>,
    /// Every entry's hash: entry `n` at index `n - 1 - pruned`.
    pub hashes: Vec<String>,
    /// The last entry (sequence 0 and [`GENESIS`] for an empty chain).
    pub head: Head,
}

/// What a prune left in place of the entries it deleted: the first line of
/// the ledger, `checkpoint TAB seq TAB hash TAB payload`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// The last pruned entry's sequence number.
    #[serde(skip)]
    pub seq: u64,
    /// Its hash: the first kept entry names it as `prev`.
    #[serde(skip)]
    pub hash: String,
    /// Registrations pruned, in all prunes so far.
    pub registrations: u64,
    /// Corrections pruned, in all prunes so far.
    pub corrections: u64,
    /// The day of the last prune.
    pub pruned_on: String,
}

impl Chain {
    /// The hash of entry `seq`, if the chain still holds it.
    pub fn hash_of(&self, seq: u64) -> Option<&str> {
        let first = self.checkpoint.as_ref().map_or(0, |c| c.seq);
        let i = seq.checked_sub(first + 1)?;
        self.hashes
            .get(usize::try_from(i).ok()?)
            .map(String::as_str)
    }
}

impl Default for Head {
    fn default() -> Self {
        Head {
            seq: 0,
            hash: GENESIS.to_string(),
        }
    }
}

fn hash(seq: u64, prev: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("{seq}\t{prev}\t{payload}").as_bytes());
    hex::encode(h.finalize())
}

fn broken(line: u64, what: Broken) -> Error {
    Error::Broken { line, what }
}

impl Chain {
    /// Whether `seq` is a registration of the chain (what a correction must name).
    fn is_registration(&self, seq: u64) -> bool {
        let first = self.checkpoint.as_ref().map_or(0, |c| c.seq);
        seq.checked_sub(first + 1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.entries.get(i))
            .is_some_and(|(_, e)| matches!(e, Entry::Registration(_)))
    }
}

/// Verifies a ledger's bytes: every line parses, sequence numbers run 1, 2,
/// 3… in canonical form, each entry names its predecessor's hash, each hash
/// is right, every correction names an earlier registration, and the bytes
/// end with a line break.
///
/// # Errors
///
/// [`Error::Broken`] naming the first broken entry (or the torn last line).
pub fn parse_chain(bytes: &[u8]) -> Result<Chain> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        broken(line, Broken::NotUtf8)
    })?;
    let mut chain = Chain::default();
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line = i as u64 + 1;
        let Some(body) = raw.strip_suffix('\n') else {
            return Err(broken(line, Broken::TornLastLine));
        };
        if i == 0
            && let Some(rest) = body.strip_prefix("checkpoint\t")
        {
            let checkpoint = parse_checkpoint(rest).ok_or(broken(line, Broken::Checkpoint))?;
            chain.head = Head {
                seq: checkpoint.seq,
                hash: checkpoint.hash.clone(),
            };
            chain.checkpoint = Some(checkpoint);
            continue;
        }
        let mut parts = body.splitn(4, '\t');
        let (Some(seq_text), Some(prev), Some(hash_text), Some(payload)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(broken(line, Broken::Fields));
        };
        let seq: u64 = seq_text
            .parse()
            .map_err(|_| broken(line, Broken::Sequence))?;
        if seq.to_string() != seq_text {
            return Err(broken(line, Broken::NonCanonicalSequence));
        }
        if seq != chain.head.seq + 1 {
            return Err(broken(
                line,
                Broken::SequenceGap {
                    found: seq,
                    due: chain.head.seq + 1,
                },
            ));
        }
        if prev != chain.head.hash {
            return Err(broken(line, Broken::Prev));
        }
        if hash(seq, prev, payload) != hash_text {
            return Err(broken(line, Broken::Hash));
        }
        let entry: Entry =
            serde_json::from_str(payload).map_err(|_| broken(line, Broken::Payload))?;
        if let Entry::Correction(c) = &entry
            && !chain.is_registration(c.corrects)
        {
            return Err(broken(line, Broken::Corrects));
        }
        chain.entries.push((seq, entry));
        chain.hashes.push(hash_text.to_string());
        chain.head = Head {
            seq,
            hash: hash_text.to_string(),
        };
    }
    Ok(chain)
}

/// Reads `seq TAB hash TAB payload` of a checkpoint line.
fn parse_checkpoint(rest: &str) -> Option<Checkpoint> {
    let mut parts = rest.splitn(3, '\t');
    let (seq_text, hash, payload) = (parts.next()?, parts.next()?, parts.next()?);
    let seq: u64 = seq_text.parse().ok()?;
    if seq.to_string() != seq_text
        || hash.len() != 64
        || !hash.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    let mut checkpoint: Checkpoint = serde_json::from_str(payload).ok()?;
    checkpoint.seq = seq;
    checkpoint.hash = hash.to_string();
    Some(checkpoint)
}

/// The checkpoint line (with its line break).
pub(crate) fn checkpoint_line(checkpoint: &Checkpoint) -> Result<String> {
    let payload = serde_json::to_string(checkpoint).map_err(|e| Error::Invalid {
        reason: e.to_string(),
    })?;
    Ok(format!(
        "checkpoint\t{}\t{}\t{payload}\n",
        checkpoint.seq, checkpoint.hash
    ))
}

/// One entry encoded after a head: the four fields of its ledger line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    /// Its sequence number: the head's plus one.
    pub seq: u64,
    /// The head's hash.
    pub prev: String,
    /// Its own hash: the new head.
    pub hash: String,
    /// The entry as one line of JSON.
    pub payload: String,
}

impl Encoded {
    /// The ledger line, with its line break.
    pub fn line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\n",
            self.seq, self.prev, self.hash, self.payload
        )
    }

    /// The head after this entry.
    pub fn head(&self) -> Head {
        Head {
            seq: self.seq,
            hash: self.hash.clone(),
        }
    }
}

/// Encodes one registration after `head`, for a store that keeps the chain
/// itself (a database) and cannot hold every entry in memory as [`Chain`]
/// does. A registration names no other entry, so there is nothing to check.
///
/// ```
/// use loggningsindex_core::{Direction, Timestamp};
/// use loggningsindex_register::ledger::{Head, Registration, encode_registration, parse_chain};
/// use time::macros::datetime;
///
/// let r = Registration {
///     person: "p_1".into(), company: "c_1".into(), site: "BPL-1".into(), card: String::new(),
///     at: Timestamp::from_offset_datetime(datetime!(2026-03-02 07:00 +01:00)).unwrap(),
///     direction: Direction::In, device: "door-1".into(), origin: Default::default(), salt: None,
/// };
/// let first = encode_registration(&Head::default(), &r)?;
/// let second = encode_registration(&first.head(), &r)?;
/// let chain = parse_chain(format!("{}{}", first.line(), second.line()).as_bytes())?;
/// assert_eq!(chain.head, second.head());
/// # Ok::<(), loggningsindex_register::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Invalid`] if the registration cannot be written as JSON.
pub fn encode_registration(head: &Head, registration: &Registration) -> Result<Encoded> {
    let entry = Entry::Registration(registration.clone());
    let payload = serde_json::to_string(&entry).map_err(|e| Error::Invalid {
        reason: e.to_string(),
    })?;
    let seq = head.seq + 1;
    Ok(Encoded {
        seq,
        prev: head.hash.clone(),
        hash: hash(seq, &head.hash, &payload),
        payload,
    })
}

/// Encodes `new` entries after `chain` and writes them to `out` in one
/// `write_all`; the chain then includes them. Nothing is written if any
/// correction names no registration.
///
/// # Errors
///
/// [`Error::NoSuchEntry`] for such a correction, or an error of `out`.
pub fn write_entries<W: Write>(mut out: W, chain: &mut Chain, new: &[Entry]) -> Result<Head> {
    let mut text = String::new();
    let mut grown = chain.clone();
    for entry in new {
        if let Entry::Correction(c) = entry
            && !grown.is_registration(c.corrects)
        {
            return Err(Error::NoSuchEntry { entry: c.corrects });
        }
        let payload = serde_json::to_string(entry).map_err(|e| Error::Invalid {
            reason: e.to_string(),
        })?;
        let seq = grown.head.seq + 1;
        let h = hash(seq, &grown.head.hash, &payload);
        text.push_str(&format!("{seq}\t{}\t{h}\t{payload}\n", grown.head.hash));
        grown.entries.push((seq, entry.clone()));
        grown.hashes.push(h.clone());
        grown.head = Head { seq, hash: h };
    }
    out.write_all(text.as_bytes())?;
    *chain = grown;
    Ok(chain.head.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Action, Correction};

    #[test]
    fn written_entries_parse_back_into_the_same_chain() {
        let mut chain = Chain::default();
        let mut bytes = Vec::new();
        let correction = Entry::Correction(Correction {
            corrects: 1,
            reason: "no such registration yet".into(),
            action: Action::Void,
        });
        assert_eq!(
            write_entries(&mut bytes, &mut chain, &[correction]),
            Err(Error::NoSuchEntry { entry: 1 })
        );
        assert!(bytes.is_empty(), "nothing written");
        assert_eq!(chain, Chain::default());
        assert_eq!(parse_chain(&bytes).unwrap(), chain);
    }
}
