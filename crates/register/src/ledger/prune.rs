//! Retention: register data is kept for two years after the end of the
//! calendar year it was recorded in — and not longer. Pruning deletes the
//! entries whose retention has ended, really removing their bytes, and leaves
//! a checkpoint so that the rest still verifies.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use time::Date;

use super::chain::{Chain, Checkpoint, checkpoint_line, parse_chain};
use super::{Entry, file};
use crate::error::{Error, Result};

/// Whether, on `today`, the retention of something recorded on `recorded`
/// has ended: two years after the end of its calendar year (recorded in
/// 2026 → kept through 31 December 2028, deleted from 1 January 2029).
///
/// ```
/// use loggningsindex_register::ledger::retention_ended;
/// use time::macros::date;
///
/// assert!(!retention_ended(date!(2026-03-02), date!(2028-12-31)));
/// assert!(retention_ended(date!(2026-12-31), date!(2029-01-01)));
/// ```
pub fn retention_ended(recorded: Date, today: Date) -> bool {
    today.year() > recorded.year() + 2
}

/// What a prune deletes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrunePlan {
    /// The last entry deleted (the checkpoint's sequence number); the one of
    /// the present checkpoint, or 0, when nothing is to be deleted.
    pub through: u64,
    /// Registrations deleted.
    pub registrations: u64,
    /// Corrections deleted.
    pub corrections: u64,
    /// Entries whose retention has ended but which stay, because an entry
    /// before them does not end yet (the chain can only shed a prefix).
    pub waiting: u64,
}

/// Which entries a prune on `today` deletes (sans-IO): the longest prefix of
/// entries whose retention has ended — a correction's retention is its
/// registration's — such that no kept correction names a deleted
/// registration.
pub fn plan_prune(chain: &Chain, today: Date) -> PrunePlan {
    let mut recorded: BTreeMap<u64, Date> = BTreeMap::new();
    let ended: Vec<bool> = chain
        .entries
        .iter()
        .map(|(seq, entry)| {
            let day = match entry {
                Entry::Registration(r) => r.at.local_date(),
                Entry::Correction(c) => recorded.get(&c.corrects).copied().unwrap_or(Date::MAX),
            };
            recorded.insert(*seq, day);
            retention_ended(day, today)
        })
        .collect();
    let mut cut = ended.iter().take_while(|e| **e).count();
    // A kept correction must still find its registration.
    while cut > 0 {
        let first_cut = chain.entries[0].0;
        let last_cut = chain.entries[cut - 1].0;
        let dangling = chain.entries[cut..].iter().any(|(_, e)| {
            matches!(e, Entry::Correction(c) if (first_cut..=last_cut).contains(&c.corrects))
        });
        if !dangling {
            break;
        }
        cut -= 1;
    }
    let deleted = &chain.entries[..cut];
    PrunePlan {
        through: deleted
            .last()
            .map(|(seq, _)| *seq)
            .unwrap_or_else(|| chain.checkpoint.as_ref().map_or(0, |c| c.seq)),
        registrations: deleted
            .iter()
            .filter(|(_, e)| matches!(e, Entry::Registration(_)))
            .count() as u64,
        corrections: deleted
            .iter()
            .filter(|(_, e)| matches!(e, Entry::Correction(_)))
            .count() as u64,
        waiting: ended[cut..].iter().filter(|e| **e).count() as u64,
    }
}

/// The steps of an applied prune, in order; a test can stop after any one
/// of them, as a crash would ([`prune`] with `stop_after`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PruneStep {
    /// The new ledger is written to `LEDGER.prune.tmp`.
    Written,
    /// … and synced to disk.
    Synced,
    /// … and renamed over the ledger.
    Renamed,
}

/// Prunes a ledger on `today`: with `apply` false only says what would be
/// deleted. Applied, it holds the ledger's exclusive lock, writes the
/// checkpoint and the kept entries — byte for byte, so their hashes and any
/// head published for them still hold — to a new file, syncs it and renames
/// it over the ledger: a crash at any point leaves either the old ledger or
/// the new one, never neither. `stop_after` stops after a step, as a crash
/// would there (for tests).
///
/// # Errors
///
/// A broken ledger, or an I/O error.
pub fn prune(
    path: &Path,
    today: Date,
    apply: bool,
    stop_after: Option<PruneStep>,
) -> Result<PrunePlan> {
    let mut ledger = file::open_locked(path)?;
    let mut bytes = Vec::new();
    ledger.read_to_end(&mut bytes)?;
    let chain = parse_chain(&bytes)?;
    file::check_head_file(path, &chain.head)?;
    let plan = plan_prune(&chain, today);
    let before = chain.checkpoint.as_ref().map_or(0, |c| c.seq);
    if !apply || plan.through == before {
        return Ok(plan);
    }
    let previous = chain.checkpoint.clone();
    let checkpoint = Checkpoint {
        seq: plan.through,
        hash: chain
            .hash_of(plan.through)
            .ok_or_else(|| Error::Invalid {
                reason: "prune: no hash for the last deleted entry".into(),
            })?
            .to_string(),
        registrations: previous.as_ref().map_or(0, |c| c.registrations) + plan.registrations,
        corrections: previous.as_ref().map_or(0, |c| c.corrections) + plan.corrections,
        pruned_on: today.to_string(),
    };
    // The kept entries' lines, untouched: skip the old checkpoint line and
    // the deleted entries' lines.
    let skip = usize::from(previous.is_some()) + (plan.through - before) as usize;
    let kept_from: usize = bytes
        .split_inclusive(|&b| b == b'\n')
        .take(skip)
        .map(<[u8]>::len)
        .sum();
    let mut new = checkpoint_line(&checkpoint)?.into_bytes();
    new.extend_from_slice(&bytes[kept_from..]);
    parse_chain(&new)?; // never replace a ledger by one that does not verify
    let aside = aside_path(path);
    match std::fs::remove_file(&aside) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut tmp = options.open(&aside)?;
    tmp.write_all(&new)?;
    if stop_after == Some(PruneStep::Written) {
        return Ok(plan);
    }
    tmp.sync_all()?;
    if stop_after == Some(PruneStep::Synced) {
        return Ok(plan);
    }
    std::fs::rename(&aside, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    drop(ledger);
    Ok(plan)
}

fn aside_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".prune.tmp");
    PathBuf::from(name)
}
