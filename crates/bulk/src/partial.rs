//! Partial results: one partition's share, written by one machine, merged into
//! exactly the whole by another.

use loggningsindex_core::Summary;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::{Computation, Records};

/// The schema version written into partial results.
pub const PARTIAL_SCHEMA_VERSION: u32 = 1;

/// One partition's result, as `compute --partial` writes it (JSON).
///
/// Distinct-individual counts add across partitions because partitions split
/// the people; see [`crate::Partition`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// Always [`PARTIAL_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Which partition (`index`) of how many (`count`).
    pub partition_index: u32,
    /// How many partitions in all.
    pub partition_count: u32,
    /// This partition's row counts.
    pub records: Records,
    /// This partition's rejected rows: line and reason. Reasons travel as
    /// their text, not as [`crate::RejectReason`]: partial files move between
    /// machines and versions, and a reason a newer version adds must not
    /// stop an older one from merging (the file format is schema 1).
    pub rejects: Vec<(u64, String)>,
    /// This partition's company-level result.
    pub summary: Summary<String>,
}

impl Partial {
    /// The partial result of a computation of one partition (a whole
    /// computation is partition 0 of 1).
    pub fn of(computation: &Computation) -> Partial {
        let (index, count) = computation
            .partition
            .map_or((0, 1), |p| (p.index(), p.count()));
        Partial {
            schema_version: PARTIAL_SCHEMA_VERSION,
            partition_index: index,
            partition_count: count,
            records: computation.records,
            rejects: computation
                .rejects
                .iter()
                .map(|r| (r.line, r.reason.to_string()))
                .collect(),
            summary: computation.summary.clone(),
        }
    }
}

/// The whole result, merged from partials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// Row counts of all partitions.
    pub records: Records,
    /// Every rejected row: line and reason, by line.
    pub rejects: Vec<(u64, String)>,
    /// The company-level result.
    pub summary: Summary<String>,
}

/// Merges the partials of every partition `0..N` into the whole: row counts,
/// rejects (by line) and the company-level result.
///
/// # Errors
///
/// [`Error::Partials`] unless the partials are exactly the partitions `0..N`
/// of one `N`, each once, all of the supported schema version.
pub fn merge_partials(partials: Vec<Partial>) -> Result<Merged> {
    let bad = |reason: String| Err(Error::Partials { reason });
    let Some(count) = partials.first().map(|p| p.partition_count) else {
        return bad("no partial results given".into());
    };
    let mut seen = vec![false; count as usize];
    for p in &partials {
        if p.schema_version != PARTIAL_SCHEMA_VERSION {
            return bad(format!("unsupported schema version {}", p.schema_version));
        }
        if p.partition_count != count {
            return bad(format!(
                "partition counts differ: {} and {}",
                count, p.partition_count
            ));
        }
        match seen.get_mut(p.partition_index as usize) {
            Some(slot) if !*slot => *slot = true,
            Some(_) => {
                return bad(format!(
                    "partition {}/{} given twice",
                    p.partition_index, count
                ));
            }
            None => {
                return bad(format!(
                    "partition {}/{} out of range",
                    p.partition_index, count
                ));
            }
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return bad(format!("partition {missing}/{count} missing"));
    }
    let mut records = Records::default();
    let mut rejects = Vec::new();
    let mut summary = Summary::default();
    for p in partials {
        records.merge(p.records);
        rejects.extend(p.rejects);
        summary.merge(p.summary);
    }
    rejects.sort();
    Ok(Merged {
        records,
        rejects,
        summary,
    })
}
