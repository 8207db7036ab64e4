//! The batch API: shifts of a whole event set, in any input order.

use core::ops::Range;

use crate::error::{Error, Result};
use crate::event::{Direction, Event, Key, Timestamp, cmp_canonical, cmp_in_key};
use crate::shift::{Shift, complete_first_shift, judge};

/// A slice of events known to be in canonical order: by key (person, company,
/// site), then by instant, `IN` before `OUT` at the same instant (docs/rules.md §2).
///
/// Canonical order makes every result independent of input order. Get one by
/// sorting ([`SortedEvents::sort`]) or, for data that is already sorted, by an
/// `O(n)` check ([`SortedEvents::new`]).
///
/// ```
/// use loggningsindex_core::{Class, Direction, Event, Key, SortedEvents, Timestamp};
/// use time::macros::datetime;
///
/// let key = Key::new("p1", "556677-8899", "BPL-1");
/// let at = |t| Timestamp::from_offset_datetime(t).unwrap();
/// let mut events = vec![
///     Event::new(key, at(datetime!(2026-03-02 16:00 +01:00)), Direction::Out),
///     Event::new(key, at(datetime!(2026-03-02 07:00 +01:00)), Direction::In),
/// ];
/// // Out of order: `new` refuses, `sort` sorts.
/// assert!(SortedEvents::new(&events).is_err());
/// let sorted = SortedEvents::sort(&mut events);
/// let shifts: Vec<_> = sorted.shifts().collect();
/// assert_eq!(shifts.len(), 1);
/// assert_eq!(shifts[0].0, 0..2);
/// assert_eq!(shifts[0].1.class, Class::Correct);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SortedEvents<'a, Id> {
    events: &'a [Event<Id>],
}

impl<'a, Id: Ord> SortedEvents<'a, Id> {
    /// Sorts `events` into canonical order in place.
    pub fn sort(events: &'a mut [Event<Id>]) -> Self {
        // Events that compare equal are identical in every field, so an unstable
        // sort cannot change any result.
        events.sort_unstable_by(cmp_canonical);
        SortedEvents { events }
    }

    /// Accepts `events` that are already in canonical order.
    ///
    /// # Errors
    ///
    /// [`Error::NotSorted`] naming the first event that sorts before its predecessor.
    pub fn new(events: &'a [Event<Id>]) -> Result<Self> {
        match events
            .windows(2)
            .position(|pair| cmp_canonical(&pair[0], &pair[1]).is_gt())
        {
            Some(i) => Err(Error::NotSorted { index: i + 1 }),
            None => Ok(SortedEvents { events }),
        }
    }
}

impl<'a, Id> SortedEvents<'a, Id> {
    /// The events, in canonical order.
    pub fn as_slice(&self) -> &'a [Event<Id>] {
        self.events
    }

    /// The shifts of every key, each with the range of `as_slice()` it covers.
    ///
    /// Shifts come out in canonical order: by key, then by time. Together their
    /// ranges cover the slice exactly once, in order.
    pub fn shifts(&self) -> Shifts<'a, Id> {
        Shifts {
            events: self.events,
            pos: 0,
            key_end: 0,
        }
    }
}

/// Iterator over the shifts of a [`SortedEvents`]; see [`SortedEvents::shifts`].
#[derive(Clone, Debug)]
pub struct Shifts<'a, Id> {
    events: &'a [Event<Id>],
    pos: usize,
    /// End of the current key's run of events.
    key_end: usize,
}

impl<Id: PartialEq + Clone> Iterator for Shifts<'_, Id> {
    type Item = (Range<usize>, Shift<Id>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.events.len() {
            return None;
        }
        if self.pos >= self.key_end {
            let key = &self.events[self.pos].key;
            self.key_end = self.pos
                + self.events[self.pos..]
                    .iter()
                    .position(|e| e.key != *key)
                    .unwrap_or(self.events.len() - self.pos);
        }
        let rest = &self.events[self.pos..self.key_end];
        let len = complete_first_shift(rest);
        let range = self.pos..self.pos + len;
        self.pos += len;
        let shift = judge(rest[0].key.clone(), &rest[..len]);
        Some((range, shift))
    }
}

/// The shifts of one key, from its events in any order (sorted in place).
///
/// ```
/// use loggningsindex_core::{shifts_of_key, Class, Direction, Key, Timestamp};
/// use time::macros::datetime;
///
/// let at = |t| Timestamp::from_offset_datetime(t).unwrap();
/// // docs/rules.md §6 example 6: 14 hours in, so two deficient shifts.
/// let mut taps = [
///     (at(datetime!(2026-03-02 20:00 +01:00)), Direction::Out),
///     (at(datetime!(2026-03-02 06:00 +01:00)), Direction::In),
/// ];
/// let shifts = shifts_of_key(Key::new(1, 2, 3), &mut taps);
/// let classes: Vec<_> = shifts.iter().map(|s| s.class).collect();
/// assert_eq!(classes, [Class::MissingOut, Class::MissingIn]);
/// ```
pub fn shifts_of_key<Id: Clone>(
    key: Key<Id>,
    taps: &mut [(Timestamp, Direction)],
) -> Vec<Shift<Id>> {
    taps.sort_unstable_by(|a, b| cmp_in_key(*a, *b));
    let mut shifts = Vec::new();
    let mut rest = &taps[..];
    while !rest.is_empty() {
        let len = complete_first_shift(rest);
        shifts.push(judge(key.clone(), &rest[..len]));
        rest = &rest[len..];
    }
    shifts
}
