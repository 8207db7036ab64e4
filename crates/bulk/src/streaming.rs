//! The streaming engine: for a register export in time order, with memory
//! bounded by the people active in the last day or two.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use loggningsindex_core::{Aggregator, Direction, Event, Key, ShiftBuilder, Summary, Timestamp};
use time::UtcOffset;

use loggningsindex_format::RejectReason;

/// A held event: instant, direction, offset seconds, key — ordered canonically.
type Held = (i64, Direction, i32, Key<u32>);

/// Reorders events that arrive up to `window` late, then feeds the core's
/// streaming shift builder.
#[derive(Debug)]
pub(crate) struct Streaming {
    window: i64,
    /// Events not yet released, by (instant, direction, offset, key).
    heap: BinaryHeap<Reverse<Held>>,
    builder: ShiftBuilder<u32>,
    aggregator: Aggregator<u32>,
    /// The latest instant seen.
    newest: i64,
    /// Events at or before this instant are too late.
    clock: i64,
}

impl Streaming {
    pub(crate) fn new(window_nanos: i64) -> Self {
        Streaming {
            window: window_nanos.max(0),
            heap: BinaryHeap::new(),
            builder: ShiftBuilder::new(),
            aggregator: Aggregator::new(),
            newest: i64::MIN,
            clock: i64::MIN,
        }
    }

    /// Takes one event; refuses it if it is later than the window allows.
    pub(crate) fn push(&mut self, event: Event<u32>) -> Result<(), RejectReason> {
        let at = event.at.unix_nanos();
        if at <= self.clock {
            return Err(RejectReason::TooLate);
        }
        let offset = event.at.offset().whole_seconds();
        self.heap
            .push(Reverse((at, event.direction, offset, event.key)));
        self.advance(at);
        Ok(())
    }

    /// Sees the instant of an event that another partition computes. Every
    /// partition sees every row's instant, so all of them judge lateness
    /// exactly as the whole file does; the row itself is counted (accepted or
    /// rejected) only by the partition that owns its person.
    pub(crate) fn observe(&mut self, at: Timestamp) -> Result<(), RejectReason> {
        let at = at.unix_nanos();
        if at <= self.clock {
            return Err(RejectReason::TooLate);
        }
        self.advance(at);
        Ok(())
    }

    /// Moves the clock after an event at `at` was seen, releasing what it may.
    fn advance(&mut self, at: i64) {
        self.newest = self.newest.max(at);
        // Everything earlier than `newest − window` can be released: an event
        // that early would be more than the window late.
        let release_before = self.newest.saturating_sub(self.window);
        while let Some(Reverse((t, ..))) = self.heap.peek() {
            if *t >= release_before {
                break;
            }
            if let Some(Reverse(held)) = self.heap.pop() {
                self.release(held);
            }
        }
        let clock = release_before.saturating_sub(1);
        if clock > self.clock {
            self.clock = clock;
            self.builder
                .advance_to(Timestamp::new(clock, UtcOffset::UTC));
        }
        self.drain();
    }

    /// Hands one held event to the builder. Events leave the heap in canonical
    /// order, and every event still to come is later than every released one
    /// (it passed the clock check), so the builder always accepts.
    fn release(&mut self, (at, direction, offset, key): Held) {
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

    pub(crate) fn finish(mut self) -> Summary<u32> {
        while let Some(Reverse(held)) = self.heap.pop() {
            self.release(held);
        }
        self.builder.finish();
        self.drain();
        self.aggregator.finish()
    }
}
