//! National-scale computation of the ID06 Loggningsindex from event CSV.
//!
//! This crate reads the event file of docs/formats.md — header matching, trimming,
//! RFC 4180 quoting, timestamps with or without offsets, the site's time zone
//! for local dates, line numbers — rejects every unreadable row with its line
//! and reason, and computes the company-level result with one of two engines:
//!
//! - **In memory** ([`Engine::InMemory`], the default): any input order. Events
//!   are partitioned by person, each partition is sorted, formed into shifts and
//!   tallied on a rayon pool, and the partitions' summaries merged. The result is
//!   identical for any thread count and any input order.
//! - **Streaming** ([`Engine::Streaming`]): a register export in time order, with
//!   events up to a window late. Memory is bounded by the people active in the
//!   last day or two, not by the file's length.
//!
//! Identifiers are interned to integers once per distinct key, through an
//! [`IdMapper`] (the pseudonymisation crate plugs in there, so an id is
//! validated and pseudonymised once per key it occurs in — and the
//! pseudonymiser remembers its answers — however often it repeats).
//!
//! ```
//! use loggningsindex_bulk::{compute, Options, Verbatim};
//!
//! let csv = "person,company,site,timestamp,direction\n\
//!            p1,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN\n\
//!            p1,556677-8899,BPL-1,2026-03-02T16:00:00+01:00,OUT\n\
//!            p1,556677-8899,BPL-1,2026-03-02T16:00:00+01:00,SIDEWAYS\n";
//! let result = compute(csv.as_bytes(), &Options::default(), &mut Verbatim, &mut |_| {})?;
//! assert_eq!((result.records.read, result.records.accepted, result.records.rejected), (3, 2, 1));
//! assert_eq!(result.rejects[0].line, 4);
//! assert_eq!(result.summary.totals.tally.rounded_index(), Some(100.0));
//!
//! // A file without the required columns is an error, not a result.
//! assert!(compute("person,site\n".as_bytes(), &Options::default(), &mut Verbatim, &mut |_| {}).is_err());
//! # Ok::<(), loggningsindex_bulk::Error>(())
//! ```
//!
//! # What this crate does not do
//!
//! It renders no reports (see `loggningsindex-report`) and validates no identity
//! numbers itself (see `loggningsindex-pseudonym`, an [`IdMapper`]).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::io::Read;

use loggningsindex_core::{Event, Summary};
use loggningsindex_zone::Zone;
use rayon::prelude::*;

mod chunk;
#[cfg(feature = "arrow")]
pub mod columnar;
mod error;
mod groups;
mod intern;
mod limit;
mod memory;
mod partial;
mod partition;
mod pipeline;
mod read;
mod split;
mod streaming;

pub use error::{Error, Result};
pub use loggningsindex_format::{
    Columns, IdColumn, IdMapper, Records, Reject, RejectReason, TimestampError, Verbatim,
    parse_direction, parse_id, parse_timestamp, summarize_rejects, trim,
};
pub use partial::{Merged, PARTIAL_SCHEMA_VERSION, Partial, merge_partials};
pub use partition::Partition;

use memory::InMemory;

/// Partitions of the in-memory engine per worker thread: enough that each
/// partition's events fit in a core's cache while they are laid out.
const PARTITIONS_PER_THREAD: usize = 128;

/// Which engine computes the result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Engine {
    /// Parallel, in memory, any input order.
    #[default]
    InMemory,
    /// Sequential, bounded memory, input in time order.
    Streaming {
        /// How late (nanoseconds) an event may arrive, relative to the latest
        /// instant seen, before it is rejected.
        reorder_window_nanos: i64,
    },
}

/// How to compute: `Options::default()` and the `with_*` methods.
///
/// ```
/// use loggningsindex_bulk::{Engine, Options};
///
/// let options = Options::default()
///     .with_threads(2)
///     .with_engine(Engine::streaming(300 * 1_000_000_000));
/// assert_eq!(options.threads, Some(2));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The sites' time zone, for local dates and naive timestamps.
    pub zone: Zone,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Which engine.
    pub engine: Engine,
    /// Compute only this partition of the people (see [`Partition`]).
    pub partition: Option<Partition>,
    /// Input bytes per parsing chunk (default 1 MiB). The result does not
    /// depend on it; tests make it tiny so that records cross chunk edges.
    pub chunk_bytes: usize,
    /// The field delimiter; `None` detects it from the header
    /// ([`loggningsindex_format::detect_delimiter`]).
    pub delimiter: Option<u8>,
    /// The longest physical line read (default [`DEFAULT_MAX_LINE_BYTES`]);
    /// a longer one is rejected ([`RejectReason::LineTooLong`]) without ever
    /// being held whole, so hostile input cannot take the memory.
    pub max_line_bytes: usize,
}

/// The default [`Options::max_line_bytes`]: 64 KiB, a thousand times a real row.
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 * 1024;

impl Engine {
    /// The streaming engine, accepting events up to `reorder_window_nanos` late.
    pub fn streaming(reorder_window_nanos: i64) -> Engine {
        Engine::Streaming {
            reorder_window_nanos,
        }
    }
}

impl Options {
    /// The sites' time zone.
    #[must_use]
    pub fn with_zone(mut self, zone: Zone) -> Self {
        self.zone = zone;
        self
    }

    /// This many worker threads (the result does not depend on it).
    #[must_use]
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// This engine.
    #[must_use]
    pub fn with_engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// Input bytes per parsing chunk (see [`Options::chunk_bytes`]).
    #[must_use]
    pub fn with_chunk_bytes(mut self, chunk_bytes: usize) -> Self {
        self.chunk_bytes = chunk_bytes;
        self
    }

    /// The longest physical line read (see [`Options::max_line_bytes`]).
    #[must_use]
    pub fn with_max_line_bytes(mut self, max: usize) -> Self {
        self.max_line_bytes = max;
        self
    }

    /// This field delimiter instead of detecting it.
    #[must_use]
    pub fn with_delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = Some(delimiter);
        self
    }

    /// Only this partition of the people.
    #[must_use]
    pub fn with_partition(mut self, partition: Partition) -> Self {
        self.partition = Some(partition);
        self
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            zone: Zone::stockholm(),
            threads: None,
            engine: Engine::InMemory,
            partition: None,
            chunk_bytes: chunk::CHUNK_BYTES,
            delimiter: None,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// The result of [`compute`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Computation {
    /// Row counts.
    pub records: Records,
    /// The company-level result, with ids as they appear in the output.
    pub summary: Summary<String>,
    /// Every rejected row, by line.
    pub rejects: Vec<Reject>,
    /// The partition computed, if any.
    pub partition: Option<Partition>,
}

/// How far a computation has come, for progress bars.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Input bytes parsed.
    pub bytes: u64,
    /// Rows read.
    pub rows: u64,
}

/// Computes the summary of events already parsed and interned, with the
/// in-memory engine on the current rayon pool (all cores unless called inside
/// [`rayon::ThreadPool::install`]). Equal to [`loggningsindex_core::summarize`]
/// of the same events, for any number of threads.
///
/// ```
/// use loggningsindex_bulk::summarize_parallel;
/// use loggningsindex_core::{summarize, Direction, Event, Key, Timestamp};
///
/// let at = |h: i64| Timestamp::new(h * 3_600_000_000_000, time::UtcOffset::UTC);
/// let events: Vec<Event<u32>> = (0..100)
///     .map(|i| Event::new(Key::new(i % 7, i % 3, 0), at(i64::from(i)), Direction::In))
///     .collect();
/// assert_eq!(summarize_parallel(&events), summarize(&mut events.clone()));
/// ```
pub fn summarize_parallel(events: &[Event<u32>]) -> Summary<u32> {
    let threads = rayon::current_num_threads();
    let partitions = threads * PARTITIONS_PER_THREAD;
    let chunk = events.len().div_ceil(threads).max(1);
    let shards: Vec<InMemory> = events
        .par_chunks(chunk)
        .map(|events| {
            let mut shard = InMemory::new(partitions);
            let mut indexes = rustc_hash::FxHashMap::default();
            for event in events {
                shard.push_by_key(&mut indexes, *event);
            }
            shard
        })
        .collect();
    if shards.is_empty() {
        return Summary::default();
    }
    InMemory::finish_all(shards)
}

/// Reads event CSV from `input` and computes the company-level result.
///
/// # Errors
///
/// A missing or incomplete header, an unknown time zone, or an I/O error. Bad
/// rows are not errors: they are in [`Computation::rejects`].
pub fn compute<R: Read + Send>(
    input: R,
    options: &Options,
    mapper: &mut dyn IdMapper,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Computation> {
    thread_pool(options)?.install(|| pipeline::run(input, options, mapper, progress))
}

/// The worker threads `options` ask for.
pub(crate) fn thread_pool(options: &Options) -> Result<rayon::ThreadPool> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = options.threads {
        pool = pool.num_threads(threads.max(1));
    }
    pool.build().map_err(|e| Error::Threads {
        message: e.to_string(),
    })
}
