//! The ledger on disk: the lock, the head file, fsync — around the sans-IO
//! chain.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::chain::{Chain, parse_chain, write_entries};
use super::{Entry, Head};
use crate::error::{Broken, Error, Result};

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

/// Reads and verifies a ledger (see [`parse_chain`]), and checks that the
/// head file names the last entry: a ledger with entries but no head file
/// does not verify. A shared lock keeps appends out while it reads.
///
/// # Errors
///
/// [`Error::Broken`] naming the first broken entry (or the torn last line).
pub fn read(path: &Path) -> Result<(Vec<(u64, Entry)>, Head)> {
    let chain = read_chain(path)?;
    Ok((chain.entries, chain.head))
}

/// As [`read`], and also checks the ledger against a head published earlier
/// (`SEQ:HASH` as [`Head::published`] writes it): the entry with that sequence
/// number must still have that hash.
///
/// # Errors
///
/// As [`read`]; [`Error::Broken`] if the published head is not in the chain,
/// [`Error::HeadFormat`] if it is not of the form `SEQ:HASH`.
pub fn verify(path: &Path, published: Option<&str>) -> Result<Head> {
    let chain = read_chain(path)?;
    if let Some(published) = published {
        let bad = || Error::HeadFormat;
        let (seq, hash) = published.trim().split_once(':').ok_or_else(bad)?;
        let seq: u64 = seq.parse().map_err(|_| bad())?;
        if let Some(c) = &chain.checkpoint
            && seq < c.seq
        {
            return Err(Error::Broken {
                line: 1,
                what: Broken::Pruned {
                    seq,
                    checkpoint: c.seq,
                },
            });
        }
        let found = match &chain.checkpoint {
            Some(c) if seq == c.seq => Some(c.hash.as_str()),
            _ => chain.hash_of(seq),
        };
        if found != Some(hash) {
            return Err(Error::Broken {
                line: seq.min(chain.head.seq + 1),
                what: Broken::Published {
                    seq,
                    hash: hash.to_string(),
                },
            });
        }
    }
    Ok(chain.head)
}

fn read_chain(path: &Path) -> Result<Chain> {
    let mut file = File::open(path)?;
    file.lock_shared()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let chain = parse_chain(&bytes)?;
    check_head_file(path, &chain.head)?;
    Ok(chain)
}

/// The head file must name the last entry; it may be missing only while the
/// ledger is empty.
pub(crate) fn check_head_file(path: &Path, head: &Head) -> Result<()> {
    let recorded = match std::fs::read_to_string(head_path(path)) {
        Ok(recorded) => recorded,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && head.seq == 0 => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Broken {
                line: head.seq + 1,
                what: Broken::HeadMissing,
            });
        }
        Err(e) => return Err(e.into()),
    };
    if recorded.trim() != format!("{}\t{}", head.seq, head.hash) {
        return Err(Error::Broken {
            line: head.seq + 1,
            what: Broken::HeadMismatch,
        });
    }
    Ok(())
}

/// Appends entries to a ledger (created with mode 0600 if missing), holding
/// an exclusive lock from the verification of what is there to the new head,
/// fsyncing the file and then the head file. Corrections must name an earlier
/// registration. Nothing is appended to a broken ledger.
///
/// # Errors
///
/// A broken ledger, a correction naming no registration, or an I/O error.
pub fn append(path: &Path, new: &[Entry]) -> Result<Head> {
    let mut file = open_private(
        path,
        OpenOptions::new().read(true).append(true).create(true),
    )?;
    file.lock()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let mut chain = parse_chain(&bytes)?;
    check_head_file(path, &chain.head)?;
    let head = write_entries(&mut file, &mut chain, new)?;
    file.sync_data()?;
    write_head(path, &head)?;
    file.unlock()?;
    Ok(head)
}

/// Writes a whole ledger to a new file (mode 0600; an existing file is never
/// overwritten) and its head file, after checking that `bytes` verify as a
/// chain: what another store exported (the register service's database, say)
/// becomes a ledger the file commands read and verify.
///
/// # Errors
///
/// [`Error::Broken`] if `bytes` do not verify (nothing is written), or an
/// I/O error (an existing file, say).
pub fn create(path: &Path, bytes: &[u8]) -> Result<Head> {
    let chain = parse_chain(bytes)?;
    let mut file = open_private(path, OpenOptions::new().write(true).create_new(true))?;
    file.lock()?;
    file.write_all(bytes)?;
    file.sync_all()?;
    write_head(path, &chain.head)?;
    file.unlock()?;
    Ok(chain.head)
}

/// Opens the ledger (created, mode 0600, if missing) for reading and
/// appending, and takes its exclusive lock. A prune replaces the file by
/// renaming: a lock taken on the file it replaced is retried on the new one,
/// so nothing is ever appended to a ledger that is gone.
pub(crate) fn open_locked(path: &Path) -> Result<File> {
    loop {
        let file = open_private(
            path,
            OpenOptions::new().read(true).append(true).create(true),
        )?;
        file.lock()?;
        if same_file(path, &file)? {
            return Ok(file);
        }
    }
}

#[cfg(unix)]
fn same_file(path: &Path, file: &File) -> Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let (a, b) = (std::fs::metadata(path), file.metadata()?);
    Ok(a.is_ok_and(|a| a.ino() == b.ino() && a.dev() == b.dev()))
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &File) -> Result<bool> {
    Ok(true)
}

/// Replaces the head file atomically: written aside (a new file, never one
/// that exists, so a planted symlink is not followed), synced, renamed.
fn write_head(path: &Path, head: &Head) -> Result<()> {
    let head_file = head_path(path);
    let mut aside = head_file.clone().into_os_string();
    aside.push(".tmp");
    let aside = PathBuf::from(aside);
    // A file aside is left by a crash of an earlier append (we hold the
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
