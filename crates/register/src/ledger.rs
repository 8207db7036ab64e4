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

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
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

impl Head {
    /// The head as published to a third party: `SEQ:HASH`. Checking a ledger
    /// later against a published head ([`verify`]) proves that nothing up to
    /// that entry was changed or cut off since.
    pub fn published(&self) -> String {
        format!("{}:{}", self.seq, self.hash)
    }
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

/// Opens (or creates, mode 0600) a file of the ledger.
fn open_private(path: &Path, options: &mut OpenOptions) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Reads and verifies a ledger: every line parses, sequence numbers run 1, 2,
/// 3… in canonical form, each entry names its predecessor's hash, each hash is
/// right, the file ends with a line break, and the head file names the last
/// entry (a ledger with entries but no head file does not verify). A shared
/// lock keeps appends out while it reads.
///
/// # Errors
///
/// [`Error::Broken`] naming the first broken entry (or the torn last line).
pub fn read(path: &Path) -> Result<(Vec<(u64, Entry)>, Head)> {
    let (entries, _, head) = read_chain(path)?;
    Ok((entries, head))
}

/// As [`read`], and also checks the ledger against a head published earlier
/// (`SEQ:HASH` as [`Head::published`] writes it): the entry with that sequence
/// number must still have that hash.
///
/// # Errors
///
/// As [`read`]; [`Error::Broken`] if the published head is not in the chain,
/// [`Error::Invalid`] if it is not of the form `SEQ:HASH`.
pub fn verify(path: &Path, published: Option<&str>) -> Result<Head> {
    let (_, hashes, head) = read_chain(path)?;
    if let Some(published) = published {
        let bad = || Error::Invalid {
            reason: "a published head is written SEQ:HASH".into(),
        };
        let (seq, hash) = published.trim().split_once(':').ok_or_else(bad)?;
        let seq: u64 = seq.parse().map_err(|_| bad())?;
        let found = usize::try_from(seq)
            .ok()
            .and_then(|s| s.checked_sub(1))
            .and_then(|i| hashes.get(i));
        if found.map(String::as_str) != Some(hash) {
            return Err(Error::Broken {
                line: seq.min(head.seq + 1),
                what: format!(
                    "the published head {seq}:{hash} is not in the chain (entries changed or cut off)"
                ),
            });
        }
    }
    Ok(head)
}

/// A verified chain: the entries with their sequence numbers, every entry's
/// hash (entry `n` at `n - 1`), and the head.
type Chain = (Vec<(u64, Entry)>, Vec<String>, Head);

/// The entries, every entry's hash, and the head.
fn read_chain(path: &Path) -> Result<Chain> {
    let mut file = File::open(path)?;
    file.lock_shared()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let (entries, hashes, head) = parse_chain(&bytes)?;
    check_head_file(path, &head)?;
    Ok((entries, hashes, head))
}

/// Verifies the chain in `bytes` (see [`read`]).
fn parse_chain(bytes: &[u8]) -> Result<Chain> {
    let broken = |line: u64, what: &str| Error::Broken {
        line,
        what: what.to_string(),
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        broken(line, "not UTF-8")
    })?;
    let mut entries = Vec::new();
    let mut hashes = Vec::new();
    let mut head = Head {
        seq: 0,
        hash: GENESIS.to_string(),
    };
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line = i as u64 + 1;
        let Some(body) = raw.strip_suffix('\n') else {
            return Err(broken(
                line,
                "torn last line: the file ends inside an entry (an interrupted append?); not repaired",
            ));
        };
        let mut parts = body.splitn(4, '\t');
        let (Some(seq_text), Some(prev), Some(hash_text), Some(payload)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(broken(line, "not four tab-separated fields"));
        };
        let seq: u64 = seq_text
            .parse()
            .map_err(|_| broken(line, "bad sequence number"))?;
        if seq.to_string() != seq_text {
            return Err(broken(line, "sequence number not in canonical form"));
        }
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
        hashes.push(hash_text.to_string());
        head = Head {
            seq,
            hash: hash_text.to_string(),
        };
    }
    Ok((entries, hashes, head))
}

/// The head file must name the last entry; it may be missing only while the
/// ledger is empty.
fn check_head_file(path: &Path, head: &Head) -> Result<()> {
    let recorded = match std::fs::read_to_string(head_path(path)) {
        Ok(recorded) => recorded,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && head.seq == 0 => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Broken {
                line: head.seq + 1,
                what: "the head file is missing (entries cut off the end, and the head deleted?)"
                    .into(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    if recorded.trim() != format!("{}\t{}", head.seq, head.hash) {
        return Err(Error::Broken {
            line: head.seq + 1,
            what: "the head file names a later or different last entry (entries cut off the end?)"
                .into(),
        });
    }
    Ok(())
}

/// Appends entries to a ledger (created with mode 0600 if missing), holding
/// an exclusive lock from the verification of what is there to the new head,
/// fsyncing the file and then the head file. Corrections are checked before
/// anything is written: they must name an earlier registration, and a
/// replacement must carry a readable instant and a direction. Nothing is
/// appended to a broken ledger.
///
/// # Errors
///
/// A broken ledger, an invalid correction, or an I/O error.
pub fn append(path: &Path, new: &[Entry]) -> Result<Head> {
    for entry in new {
        if let Entry::Correction(c) = entry {
            crate::roll::check_action(&c.action)?;
        }
    }
    let mut file = open_private(
        path,
        OpenOptions::new().read(true).append(true).create(true),
    )?;
    file.lock()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let (mut entries, _, mut head) = parse_chain(&bytes)?;
    check_head_file(path, &head)?;
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
    file.write_all(text.as_bytes())?;
    file.sync_data()?;
    write_head(path, &head)?;
    file.unlock()?;
    Ok(head)
}

/// Replaces the head file atomically: written aside (a new file, never one
/// that exists, so a planted symlink is not followed), synced, renamed.
fn write_head(path: &Path, head: &Head) -> Result<()> {
    let head_file = head_path(path);
    let mut aside = head_file.clone().into_os_string();
    aside.push(".tmp");
    let aside = PathBuf::from(aside);
    // A stale file aside is left by a crash of an earlier append (we hold the
    // lock): remove it — a symlink is removed, not followed.
    match std::fs::remove_file(&aside) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    let mut tmp = open_private(&aside, OpenOptions::new().write(true).create_new(true))?;
    writeln!(tmp, "{}\t{}", head.seq, head.hash)?;
    tmp.sync_all()?;
    std::fs::rename(&aside, &head_file)?;
    Ok(())
}
