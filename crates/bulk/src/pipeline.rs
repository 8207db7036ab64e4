//! The staged ingest behind [`crate::compute`]: chunks are tokenised and
//! checked on all cores while the previous wave is interned and stored by one
//! thread, and the next wave is read.

use std::io::Read;

use loggningsindex_core::{Event, Summary};
use rayon::prelude::*;

use crate::chunk::{ChunkInput, Chunker};
use crate::intern::Interner;
use crate::memory::InMemory;
use crate::read::{ParsedChunk, RowParser};
use crate::streaming::Streaming;
use crate::{
    Computation, Engine, IdColumn, IdMapper, Options, PARTITIONS_PER_THREAD, Progress, Records,
    Reject, RejectReason, Result,
};

/// The two engines behind one face.
enum Sink {
    InMemory(InMemory),
    Streaming(Box<Streaming>),
}

/// Everything the sequential stage owns.
struct Collector<'a> {
    options: &'a Options,
    mapper: &'a mut dyn IdMapper,
    interner: Interner,
    sink: Sink,
    records: Records,
    rejects: Vec<Reject>,
    progress: Progress,
    /// Registrations of origin `auto`: counted, never part of a shift.
    autos: Summary<u32>,
}

impl Collector<'_> {
    /// Counts a row rejected before its person is known: the partition that
    /// owns its line counts it.
    fn reject(&mut self, reject: Reject) {
        if self
            .options
            .partition
            .is_none_or(|p| p.owns_line(reject.line))
        {
            self.count_reject(reject);
        }
    }

    /// Counts a rejected row in this computation.
    fn count_reject(&mut self, reject: Reject) {
        self.records.read += 1;
        self.records.rejected += 1;
        self.rejects.push(reject);
    }

    /// Interns and stores one parsed chunk's rows, in input order.
    fn take(&mut self, chunk: ParsedChunk) {
        self.progress.bytes += chunk.bytes;
        self.progress.rows += (chunk.rows.len() + chunk.rejects.len()) as u64;
        for reject in &chunk.rejects {
            self.reject(*reject);
        }
        // Keys seen before are looked up first, all of them: each lookup is
        // a few cache misses at national scale, and a loop of lookups alone
        // lets the processor wait for several rows' misses at once.
        let found: Vec<Option<u32>> = chunk
            .rows
            .iter()
            .map(|row| self.interner.find(row.key(&chunk.arena)))
            .collect();
        for (row, found) in chunk.rows.iter().zip(found) {
            let resolved = match found {
                Some(index) => self.interner.resolved(index),
                None => self.interner.resolve(
                    row.key(&chunk.arena),
                    &mut *self.mapper,
                    self.options.partition,
                ),
            };
            let resolved = match resolved {
                Ok(resolved) => resolved,
                Err(reason) => {
                    self.reject(Reject {
                        line: row.line,
                        reason,
                    });
                    continue;
                }
            };
            if row.auto && resolved.in_partition {
                // RULES §7: accepted and counted, but no part of any shift —
                // in either engine, whatever its time order.
                let key = resolved.key;
                self.autos
                    .add_auto(key.company, key.site, row.at.local_date());
                self.records.read += 1;
                self.records.accepted += 1;
                continue;
            }
            if row.auto {
                continue;
            }
            if !resolved.in_partition {
                // Another partition counts this row; the streaming engine
                // still needs its instant to judge lateness as the whole
                // file would.
                if let Sink::Streaming(engine) = &mut self.sink {
                    let _ = engine.observe(row.at);
                }
                continue;
            }
            let event = Event::new(resolved.key, row.at, row.direction);
            let stored = match &mut self.sink {
                Sink::InMemory(engine) => {
                    engine.push(resolved.index, event);
                    Ok(())
                }
                Sink::Streaming(engine) => engine.push(event),
            };
            match stored {
                Ok(()) => {
                    self.records.read += 1;
                    self.records.accepted += 1;
                }
                // The row's person is in this partition: it is counted here,
                // whatever its line number.
                Err(reason) => self.count_reject(Reject {
                    line: row.line,
                    reason,
                }),
            }
        }
    }
}

/// Where a computation's rows come from, piece by piece: the pieces are
/// read in order by one thread and parsed in parallel.
pub(crate) trait Source {
    /// What is parsed on a worker (a CSV chunk, a record batch).
    type Piece: Send;
    /// The next piece, or `None` at the end.
    fn next_piece(&mut self) -> Result<Option<Self::Piece>>;
    /// Lines dropped while reading (too long to keep), to reject.
    fn take_dropped(&mut self) -> Vec<u64> {
        Vec::new()
    }
}

impl<R: Read> Source for Chunker<R> {
    type Piece = ChunkInput;
    fn next_piece(&mut self) -> Result<Option<ChunkInput>> {
        Ok(self.next_chunk()?)
    }
    fn take_dropped(&mut self) -> Vec<u64> {
        Chunker::take_dropped(self)
    }
}

/// Computes over event CSV.
pub(crate) fn run<R: Read + Send>(
    input: R,
    options: &Options,
    mapper: &mut dyn IdMapper,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Computation> {
    let (columns, chunker) = Chunker::start(
        input,
        options.chunk_bytes,
        options.delimiter,
        options.max_line_bytes,
    )?;
    let parser = RowParser::new(columns, options.zone.offsets(), options.max_line_bytes);
    run_source(
        chunker,
        |chunk| parser.clone().parse_chunk(chunk),
        options,
        mapper,
        progress,
    )
}

/// Computes over any source: each wave of pieces is parsed in parallel
/// while the previous wave is interned and stored, and the next one read.
pub(crate) fn run_source<S: Source + Send>(
    mut source: S,
    parse: impl Fn(S::Piece) -> ParsedChunk + Sync,
    options: &Options,
    mapper: &mut dyn IdMapper,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Computation> {
    let threads = rayon::current_num_threads();
    let sink = match options.engine {
        Engine::InMemory => Sink::InMemory(InMemory::new(threads * PARTITIONS_PER_THREAD)),
        Engine::Streaming {
            reorder_window_nanos,
        } => Sink::Streaming(Box::new(Streaming::new(reorder_window_nanos, threads))),
    };
    let mut collector = Collector {
        options,
        mapper,
        interner: Interner::default(),
        sink,
        records: Records::default(),
        rejects: Vec::new(),
        progress: Progress::default(),
        autos: Summary::default(),
    };

    // A wave of chunks is parsed in parallel while the previous wave is
    // interned and stored, and the next one is read. Four small chunks per
    // thread rather than one large one: the thread that finishes the
    // sequential stage first finds chunks left to parse, instead of waiting
    // for the last large one (national file: 3.8 s -> 3.6 s).
    let wave_size = threads.max(2) * 4;
    let read_wave = |source: &mut S| -> Result<Vec<S::Piece>> {
        let mut wave = Vec::with_capacity(wave_size);
        while wave.len() < wave_size {
            match source.next_piece()? {
                Some(piece) => wave.push(piece),
                None => break,
            }
        }
        Ok(wave)
    };
    let mut wave = read_wave(&mut source)?;
    let mut parsed: Vec<ParsedChunk> = Vec::new();
    while !wave.is_empty() || !parsed.is_empty() {
        // The sequential stage goes first: `join` runs it on this thread,
        // always the same one, while the others take the parsing. What is
        // kept to the end (stored events, the key table) is then allocated
        // by one thread: spread over two, the allocator's per-thread arenas
        // held 40-50 MB more at national scale, and the run was slower.
        let (next_wave, now_parsed) = rayon::join(
            || {
                for chunk in parsed.drain(..) {
                    collector.take(chunk);
                }
                if let Sink::Streaming(engine) = &mut collector.sink {
                    // The partitions form their shifts in parallel, the
                    // other threads joining in once the parsing is done.
                    engine.release();
                }
                progress(collector.progress);
                let wave = read_wave(&mut source);
                for line in source.take_dropped() {
                    collector.reject(Reject {
                        line,
                        reason: RejectReason::LineTooLong,
                    });
                }
                wave
            },
            || wave.into_par_iter().map(&parse).collect::<Vec<_>>(),
        );
        parsed = now_parsed;
        wave = next_wave?;
    }

    let mut summary = match collector.sink {
        Sink::InMemory(engine) => engine.finish(),
        Sink::Streaming(engine) => (*engine).finish(),
    };
    summary.merge(collector.autos);
    let (interner, mapper) = (&collector.interner, &collector.mapper);
    let summary = summary.map_ids(
        |c| mapper.shown(IdColumn::Company, interner.company(*c)),
        |s| mapper.shown(IdColumn::Site, interner.site(*s)),
    );
    let mut rejects = collector.rejects;
    rejects.sort_unstable();
    progress(collector.progress);
    Ok(Computation {
        records: collector.records,
        summary,
        rejects,
        partition: options.partition,
    })
}
