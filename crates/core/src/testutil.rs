//! Fixtures shared by the core's tests.

use core::ops::Range;

use time::{Date, OffsetDateTime};

use crate::{Class, Direction, Event, Key, Shift, ShiftBuilder, SortedEvents, Timestamp};

/// The key of single-key examples.
pub(crate) const KEY: Key<u32> = Key::new(1, 10, 100);

/// A timestamp from an `OffsetDateTime` literal.
pub(crate) fn at(t: OffsetDateTime) -> Timestamp {
    Timestamp::from_offset_datetime(t).expect("test timestamps are in range")
}

/// An event of [`KEY`].
pub(crate) fn ev(t: OffsetDateTime, direction: Direction) -> Event<u32> {
    Event::new(KEY, at(t), direction)
}

/// The batch shifts of `events` (a sorted copy), with their ranges.
pub(crate) fn batch<Id: Ord + Clone>(events: &[Event<Id>]) -> Vec<(Range<usize>, Shift<Id>)> {
    let mut sorted = events.to_vec();
    SortedEvents::sort(&mut sorted).shifts().collect()
}

/// The streamed shifts of `events`, pushed in time order, in canonical order.
pub(crate) fn streamed<Id: Ord + Clone + std::hash::Hash>(events: &[Event<Id>]) -> Vec<Shift<Id>> {
    let mut by_time = events.to_vec();
    by_time.sort_by(Event::time_order);
    let mut builder = ShiftBuilder::new();
    let mut shifts = Vec::new();
    for event in by_time {
        builder
            .push(event)
            .expect("time-ordered events are accepted");
        shifts.extend(std::iter::from_fn(|| builder.poll_shift()));
    }
    builder.finish();
    shifts.extend(std::iter::from_fn(|| builder.poll_shift()));
    sort_shifts(&mut shifts);
    shifts
}

/// Puts shifts in canonical order (by key, then first event).
pub(crate) fn sort_shifts<Id: Ord>(shifts: &mut [Shift<Id>]) {
    shifts.sort_by(|a, b| {
        (&a.key, a.first.unix_nanos(), a.len).cmp(&(&b.key, b.first.unix_nanos(), b.len))
    });
}

/// Work day, class and size of each shift of `events`, after checking that the
/// batch and the streaming API agree on them.
pub(crate) fn judged(events: &[Event<u32>]) -> Vec<(Date, Class, usize)> {
    let from_batch: Vec<Shift<u32>> = batch(events).into_iter().map(|(_, s)| s).collect();
    assert_eq!(from_batch, streamed(events), "batch and streaming disagree");
    from_batch
        .iter()
        .map(|s| (s.work_day, s.class, s.len))
        .collect()
}
