//! The streaming engine: for a register export in time order, with memory
//! bounded by the people active in the last day or two.
//!
//! The sequential stage judges each row's lateness against the whole file's
//! clock and hands the event to the partition of its person; at the end of
//! each wave of rows the partitions — each a reorder heap, the core's
//! streaming shift builder and an aggregator — release what the clock
//! allows, in parallel. Partitions split the people, so their summaries add
//! up exactly; when events are released does not change which shifts form.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use loggningsindex_core::{Aggregator, Direction, Event, Key, ShiftBuilder, Summary, Timestamp};
use rayon::prelude::*;
use time::UtcOffset;

use loggningsindex_format::RejectReason;

/// A held event: instant, direction, offset seconds, key — ordered canonically.
type Held = (i64, Direction, i32, Key<u32>);

/// Partitions per worker thread: a few more than threads, so that work
/// balances.
const PARTS_PER_THREAD: usize = 4;

/// Reorders events that arrive up to `window` late, then feeds the core's
/// streaming shift builders, one per partition of the people.
#[derive(Debug)]
pub(crate) struct Streaming {
    window: i64,
    /// The latest instant seen.
    newest: i64,
    /// Events at or before this instant are too late.
    clock: i64,
    parts: Vec<Part>,
}

/// One partition of the people.
#[derive(Debug, Default)]
struct Part {
    /// Events accepted since the last release, in input order.
    arrived: Vec<Held>,
    /// Events not yet released, by (instant, direction, offset, key).
    heap: BinaryHeap<Reverse<Held>>,
    builder: ShiftBuilder<u32>,
    aggregator: Aggregator<u32>,
}

impl Streaming {
    pub(crate) fn new(window_nanos: i64, threads: usize) -> Self {
        Streaming {
            window: window_nanos.max(0),
            newest: i64::MIN,
            clock: i64::MIN,
            parts: (0..threads.max(1) * PARTS_PER_THREAD)
                .map(|_| Part::default())
                .collect(),
        }
    }

    /// Takes one event; refuses it if it is later than the window allows.
    pub(crate) fn push(&mut self, event: Event<u32>) -> Result<(), RejectReason> {
        let at = event.at.unix_nanos();
        self.observe(event.at)?;
        let offset = event.at.offset().whole_seconds();
        let part = event.key.person as usize % self.parts.len();
        self.parts[part]
            .arrived
            .push((at, event.direction, offset, event.key));
        Ok(())
    }

    /// Sees the instant of an event (of this partition or, with
    /// `--partition`, of another one) and moves the clock. Every partition
    /// sees every row's instant, so all of them judge lateness exactly as
    /// the whole file does; the row itself is counted (accepted or rejected)
    /// only by the partition that owns its person.
    pub(crate) fn observe(&mut self, at: Timestamp) -> Result<(), RejectReason> {
        let at = at.unix_nanos();
        if at <= self.clock {
            return Err(RejectReason::TooLate);
        }
        self.newest = self.newest.max(at);
        // An event earlier than `newest − window` would be more than the
        // window late: such events are refused from now on.
        let clock = self.newest.saturating_sub(self.window).saturating_sub(1);
        self.clock = self.clock.max(clock);
        Ok(())
    }

    /// Releases, in every partition at once, what the clock allows: the
    /// events held earlier than the clock's instant go to the builder in
    /// canonical order, and the builder learns that nothing at or before the
    /// clock will come. Every event still to come is later than every
    /// released one (it passes the lateness check), so the builders accept
    /// all of them.
    pub(crate) fn release(&mut self) {
        let clock = self.clock;
        self.parts
            .par_iter_mut()
            .for_each(|part| part.release(clock));
    }

    pub(crate) fn finish(mut self) -> Summary<u32> {
        self.release();
        self.parts
            .into_par_iter()
            .map(Part::finish)
            .reduce(Summary::default, |mut a, b| {
                a.merge(b);
                a
            })
    }
}

impl Part {
    fn release(&mut self, clock: i64) {
        self.heap.extend(self.arrived.drain(..).map(Reverse));
        while let Some(Reverse((t, ..))) = self.heap.peek() {
            if *t > clock {
                break;
            }
            if let Some(Reverse(held)) = self.heap.pop() {
                self.hand_over(held);
            }
        }
        if clock > i64::MIN {
            self.builder
                .advance_to(Timestamp::new(clock, UtcOffset::UTC));
        }
        self.drain();
    }

    /// Hands one held event to the builder.
    fn hand_over(&mut self, (at, direction, offset, key): Held) {
        let offset = UtcOffset::from_whole_seconds(offset).unwrap_or(UtcOffset::UTC);
        let pushed = self
            .builder
            .push(Event::new(key, Timestamp::new(at, offset), direction));
        debug_assert!(pushed.is_ok(), "released out of order: {pushed:?}");
    }

    fn drain(&mut self) {
        while let Some(shift) = self.builder.poll_shift() {
            self.aggregator.push(&shift);
        }
    }

    fn finish(mut self) -> Summary<u32> {
        self.heap.extend(self.arrived.drain(..).map(Reverse));
        while let Some(Reverse(held)) = self.heap.pop() {
            self.hand_over(held);
        }
        self.builder.finish();
        self.drain();
        self.aggregator.finish()
    }
}
