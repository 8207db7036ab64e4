//! The staff register as an append-only, hash-chained file.
//!
//! One entry per line: `seq TAB prev TAB hash TAB payload`, where `payload` is
//! the entry as one line of JSON, `prev` the previous entry's hash (64 zeros
//! for the first), and `hash = SHA-256(seq TAB prev TAB payload)` in hex. Any
//! edit, deletion, insertion or reordering of lines breaks the chain at the
//! first changed entry. Each append is fsynced, and the latest sequence number
//! and hash are kept in `LEDGER.head`, so that cutting whole entries off the
//! end is detected too. See `docs/ledger.md`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

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
    /// The instant, RFC 3339 with offset.
    pub at: String,
    /// `IN` or `OUT`.
    pub direction: String,
    /// The reader or terminal.
    pub device: String,
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
        at: String,
        /// The right direction.
        direction: String,
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

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn hash(seq: u64, prev: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("{seq}\t{prev}\t{payload}").as_bytes());
    hex::encode(h.finalize())
}

fn head_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".head");
    PathBuf::from(name)
}

/// Reads and verifies a ledger: every line parses, sequence numbers run 1, 2,
/// 3…, each entry names its predecessor's hash, each hash is right, the file
/// ends with a line break, and the head file (if any) names the last entry.
///
/// # Errors
///
/// [`Error::Broken`] naming the first broken entry (or the torn last line).
pub fn read(path: &Path) -> Result<(Vec<(u64, Entry)>, Head)> {
    let bytes = std::fs::read(path)?;
    let broken = |line: u64, what: &str| Error::Broken {
        line,
        what: what.to_string(),
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        broken(line, "not UTF-8")
    })?;
    let mut entries = Vec::new();
    let mut head = Head {
        seq: 0,
        hash: GENESIS.to_string(),
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, raw) in lines.iter().enumerate() {
        let line = i as u64 + 1;
        let Some(body) = raw.strip_suffix('\n') else {
            return Err(broken(
                line,
                "torn last line: the file ends inside an entry (an interrupted append?); not repaired",
            ));
        };
        let mut parts = body.splitn(4, '\t');
        let (Some(seq), Some(prev), Some(hash_text), Some(payload)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(broken(line, "not four tab-separated fields"));
        };
        let seq: u64 = seq
            .parse()
            .map_err(|_| broken(line, "bad sequence number"))?;
        if seq != head.seq + 1 {
            return Err(broken(
                line,
                &format!(
                    "sequence number {seq} where {} was due (deleted, inserted or reordered entries)",
                    head.seq + 1
                ),
            ));
        }
        if prev != head.hash {
            return Err(broken(line, "does not name the previous entry's hash"));
        }
        if hash(seq, prev, payload) != hash_text {
            return Err(broken(line, "hash does not match the entry (edited)"));
        }
        let entry: Entry =
            serde_json::from_str(payload).map_err(|_| broken(line, "payload is not an entry"))?;
        if let Entry::Correction(c) = &entry
            && !entries
                .iter()
                .any(|(s, e)| *s == c.corrects && matches!(e, Entry::Registration(_)))
        {
            return Err(broken(
                line,
                "corrects an entry that is not an earlier registration",
            ));
        }
        entries.push((seq, entry));
        head = Head {
            seq,
            hash: hash_text.to_string(),
        };
    }
    if let Ok(recorded) = std::fs::read_to_string(head_path(path)) {
        let expected = format!("{}\t{}", head.seq, head.hash);
        if recorded.trim() != expected {
            return Err(broken(
                head.seq + 1,
                "the head file names a later or different last entry (entries cut off the end?)",
            ));
        }
    }
    Ok((entries, head))
}

/// Appends entries to a ledger (created if missing), fsyncing the file and
/// then the head file. The existing ledger is verified first: nothing is
/// appended to a broken one.
///
/// # Errors
///
/// A broken ledger, a correction naming no registration, or an I/O error.
pub fn append(path: &Path, new: &[Entry]) -> Result<Head> {
    let (mut entries, mut head) = if path.exists() {
        read(path)?
    } else {
        (
            Vec::new(),
            Head {
                seq: 0,
                hash: GENESIS.to_string(),
            },
        )
    };
    let mut text = String::new();
    for entry in new {
        if let Entry::Correction(c) = entry
            && !entries
                .iter()
                .any(|(s, e)| *s == c.corrects && matches!(e, Entry::Registration(_)))
        {
            return Err(Error::NoSuchEntry { entry: c.corrects });
        }
        let payload = serde_json::to_string(entry).map_err(|e| Error::Invalid {
            reason: e.to_string(),
        })?;
        let seq = head.seq + 1;
        let h = hash(seq, &head.hash, &payload);
        text.push_str(&format!("{seq}\t{}\t{h}\t{payload}\n", head.hash));
        entries.push((seq, entry.clone()));
        head = Head { seq, hash: h };
    }
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_data()?;
    // The head file is replaced atomically: written aside, synced, renamed.
    let head_file = head_path(path);
    let mut aside = head_file.clone().into_os_string();
    aside.push(".tmp");
    let aside = PathBuf::from(aside);
    let mut tmp = File::create(&aside)?;
    writeln!(tmp, "{}\t{}", head.seq, head.hash)?;
    tmp.sync_all()?;
    std::fs::rename(&aside, &head_file)?;
    Ok(head)
}
