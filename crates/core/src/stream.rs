//! The streaming API: shifts as soon as they are final, for registers that send
//! events in time order.

use std::cmp::Reverse;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hash};

use crate::error::{Error, Result};
use crate::event::{Direction, Event, Key, Timestamp, cmp_in_key};
use crate::shift::{Cut, Shift, first_shift, judge};

/// Forms shifts incrementally from events pushed in time order.
///
/// # Call order
///
/// The builder is a state machine without clock or I/O, in the manner of
/// quinn-proto: the caller feeds inputs and polls outputs.
///
/// 1. **Inputs.** [`push`](Self::push) each event. Events of one key must come in
///    canonical order (by instant, `IN` before `OUT` at the same instant); events
///    of different keys may interleave freely. Optionally call
///    [`advance_to`](Self::advance_to) to declare that no event at or before an
///    instant will come any more (a register knows its own clock).
/// 2. **Outputs.** After any input, call [`poll_shift`](Self::poll_shift) until it
///    returns `None`.
/// 3. **End.** [`finish`](Self::finish) declares the input complete; every pending
///    shift becomes final. Poll once more. Pushing after `finish` is an error.
///
/// # When a shift is final
///
/// A shift is final, and comes out, as soon as no later event can join it:
/// either the next event of its key fell outside it, or the clock (the latest
/// pushed event of its key, or `advance_to`) has passed the shift's last possible
/// moment — 13 hours after its anchor, or after its first `IN` for a night shift
/// waiting for the next day's `OUT`, or 30 seconds after that `OUT`.
///
/// # Output order
///
/// Shifts come out in the order they became final. Shifts made final by one call
/// come out by key, then by time. Each shift equals the one the batch API
/// ([`crate::SortedEvents::shifts`]) forms from the same events.
///
/// # Memory
///
/// The builder holds only the events of shifts that are not yet final: at most 26
/// hours of events per key, and nothing for keys that are idle once the clock
/// has passed them.
///
/// ```
/// use loggningsindex_core::{Class, Direction, Event, Key, ShiftBuilder, Timestamp};
/// use time::macros::datetime;
///
/// let key = Key::new("p1", "c1", "s1");
/// let at = |t| Timestamp::from_offset_datetime(t).unwrap();
/// let mut builder = ShiftBuilder::new();
/// builder.push(Event::new(key, at(datetime!(2026-03-02 07:00 +01:00)), Direction::In))?;
/// builder.push(Event::new(key, at(datetime!(2026-03-02 16:00 +01:00)), Direction::Out))?;
/// assert_eq!(builder.poll_shift(), None); // a stray tap could still join within 30 s
///
/// builder.advance_to(at(datetime!(2026-03-02 20:00:01 +01:00)));
/// assert_eq!(builder.poll_shift().map(|s| s.class), Some(Class::Correct));
///
/// // Going back in time for a key is refused.
/// let late = Event::new(key, at(datetime!(2026-03-02 15:00 +01:00)), Direction::In);
/// assert!(builder.push(late).is_err());
/// builder.finish();
/// assert_eq!(builder.poll_shift(), None);
/// # Ok::<(), loggningsindex_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ShiftBuilder<Id> {
    /// Events of shifts not yet final, per key. A hash map with a fixed-key
    /// hasher: at national scale hundreds of thousands of keys are pending at
    /// once, where an ordered map paid a path of cache misses per event; the
    /// order the output promises is made where it matters (`finish`).
    pending: HashMap<Key<Id>, Pending, BuildHasherDefault<DefaultHasher>>,
    /// When each key's first pending shift is decided at the latest (min-heap).
    /// Entries whose instant no longer matches the key's `until` are stale.
    deadlines: BinaryHeap<Reverse<(i64, Key<Id>)>>,
    /// Final shifts not yet polled.
    ready: VecDeque<Shift<Id>>,
    /// No event at or before this instant (Unix nanoseconds) may come any more.
    clock: i64,
    finished: bool,
    /// Events in `pending`, kept as a count so that asking is O(1).
    pending_events: usize,
}

#[derive(Clone, Debug, Default)]
struct Pending {
    taps: Vec<(Timestamp, Direction)>,
    /// The instant after which the first pending shift is decided.
    until: Option<i64>,
}

impl<Id: Ord + Clone + Hash> Default for ShiftBuilder<Id> {
    fn default() -> Self {
        Self::new()
    }
}

impl<Id: Ord + Clone + Hash> ShiftBuilder<Id> {
    /// An empty builder.
    pub fn new() -> Self {
        ShiftBuilder {
            pending: HashMap::default(),
            deadlines: BinaryHeap::new(),
            ready: VecDeque::new(),
            clock: i64::MIN,
            finished: false,
            pending_events: 0,
        }
    }

    /// Feeds one event.
    ///
    /// # Errors
    ///
    /// - [`Error::Finished`] after [`finish`](Self::finish).
    /// - [`Error::EventBeforeClock`] if the event is at or before an instant given
    ///   to [`advance_to`](Self::advance_to).
    /// - [`Error::EventOutOfOrder`] if it sorts before an event of the same key
    ///   already pushed.
    ///
    /// A refused event changes nothing.
    pub fn push(&mut self, event: Event<Id>) -> Result<()> {
        if self.finished {
            return Err(Error::Finished);
        }
        let at = event.at.unix_nanos();
        if at <= self.clock {
            return Err(Error::EventBeforeClock {
                at: event.at,
                clock: Timestamp::new(self.clock, event.at.offset()),
            });
        }
        let tap = (event.at, event.direction);
        let pending = self.pending.entry(event.key.clone()).or_default();
        if let Some(last) = pending.taps.last()
            && cmp_in_key(tap, *last).is_lt()
        {
            return Err(Error::EventOutOfOrder { at: event.at });
        }
        pending.taps.push(tap);
        self.pending_events += 1;
        // Later events of this key are at or after this instant.
        let horizon = self.clock.max(at - 1);
        let done = settle(
            &event.key,
            pending,
            horizon,
            &mut self.ready,
            &mut self.deadlines,
        );
        self.pending_events -= done;
        if pending.taps.is_empty() {
            self.pending.remove(&event.key);
        }
        Ok(())
    }

    /// Declares that no event at or before `now` will be pushed any more, making
    /// final every shift that no later event could join. Going backwards is a no-op.
    pub fn advance_to(&mut self, now: Timestamp) {
        let now = now.unix_nanos();
        if now <= self.clock {
            return;
        }
        self.clock = now;
        while let Some(Reverse((until, _))) = self.deadlines.peek() {
            if *until > now {
                break;
            }
            let Some(Reverse((until, key))) = self.deadlines.pop() else {
                break;
            };
            let current = self.pending.get(&key).and_then(|p| p.until);
            if current == Some(until) {
                self.settle(&key, now);
            }
        }
    }

    /// Declares the input complete: every pending shift becomes final.
    pub fn finish(&mut self) {
        self.finished = true;
        self.clock = i64::MAX;
        self.deadlines.clear();
        // By key, as promised for shifts made final by one call.
        let mut keys: Vec<Key<Id>> = self.pending.keys().cloned().collect();
        keys.sort_unstable();
        for key in keys {
            self.settle(&key, i64::MAX);
        }
    }

    /// The next final shift, if any.
    pub fn poll_shift(&mut self) -> Option<Shift<Id>> {
        self.ready.pop_front()
    }

    /// How many pushed events belong to shifts that are not final yet.
    pub fn pending_events(&self) -> usize {
        self.pending_events
    }

    /// How many keys have events in shifts that are not final yet.
    pub fn pending_keys(&self) -> usize {
        self.pending.len()
    }

    /// Moves every decided shift of `key` to `ready`, given that all events still
    /// to come are strictly after `horizon`.
    fn settle(&mut self, key: &Key<Id>, horizon: i64) {
        let Some(pending) = self.pending.get_mut(key) else {
            return;
        };
        let done = settle(key, pending, horizon, &mut self.ready, &mut self.deadlines);
        self.pending_events -= done;
        if pending.taps.is_empty() {
            self.pending.remove(key);
        }
    }
}

/// Moves every decided shift of one key's pending events to `ready`, given
/// that all events still to come are strictly after `horizon`, and notes when
/// the rest is decided at the latest. Returns how many events left.
fn settle<Id: Clone>(
    key: &Key<Id>,
    pending: &mut Pending,
    horizon: i64,
    ready: &mut VecDeque<Shift<Id>>,
    deadlines: &mut BinaryHeap<Reverse<(i64, Key<Id>)>>,
) -> usize
where
    Key<Id>: Ord,
{
    let mut done = 0;
    while done < pending.taps.len() {
        let rest = &pending.taps[done..];
        match first_shift(rest, horizon) {
            Cut::Final { len } => {
                ready.push_back(judge(key.clone(), &rest[..len]));
                done += len;
            }
            Cut::Undecided { until } => {
                if pending.until != Some(until) {
                    pending.until = Some(until);
                    deadlines.push(Reverse((until, key.clone())));
                }
                break;
            }
        }
    }
    pending.taps.drain(..done);
    done
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::Class;
    use crate::Direction::{In, Out};
    use crate::testutil::{at, ev};

    fn polled(builder: &mut ShiftBuilder<u32>) -> Vec<Class> {
        std::iter::from_fn(|| builder.poll_shift())
            .map(|s| s.class)
            .collect()
    }

    #[test]
    fn a_day_shift_is_final_exactly_13_h_after_its_anchor() {
        let mut builder = ShiftBuilder::new();
        builder
            .push(ev(datetime!(2026-03-02 07:00 +01:00), In))
            .unwrap();
        builder
            .push(ev(datetime!(2026-03-02 16:00 +01:00), Out))
            .unwrap();
        builder.advance_to(at(datetime!(2026-03-02 19:59:59.999_999_999 +01:00)));
        assert_eq!(polled(&mut builder), []);
        builder.advance_to(at(datetime!(2026-03-02 20:00 +01:00)));
        assert_eq!(polled(&mut builder), [Class::Correct]);
        assert_eq!(builder.pending_keys(), 0);
    }

    #[test]
    fn a_night_shift_waits_13_h_from_its_first_in() {
        let mut builder = ShiftBuilder::new();
        builder
            .push(ev(datetime!(2026-03-02 22:00 +01:00), In))
            .unwrap();
        builder.advance_to(at(datetime!(2026-03-03 10:59 +01:00)));
        assert_eq!(polled(&mut builder), []);
        builder.advance_to(at(datetime!(2026-03-03 11:00 +01:00)));
        assert_eq!(polled(&mut builder), [Class::MissingOut]);
    }

    #[test]
    fn a_night_shift_is_final_30_s_after_its_out() {
        let mut builder = ShiftBuilder::new();
        builder
            .push(ev(datetime!(2026-03-02 22:00 +01:00), In))
            .unwrap();
        builder
            .push(ev(datetime!(2026-03-03 06:00 +01:00), Out))
            .unwrap();
        builder.advance_to(at(datetime!(2026-03-03 06:00:29 +01:00)));
        assert_eq!(polled(&mut builder), []);
        builder.advance_to(at(datetime!(2026-03-03 06:00:30 +01:00)));
        assert_eq!(polled(&mut builder), [Class::Correct]);
    }

    #[test]
    fn the_next_event_outside_makes_a_shift_final() {
        let mut builder = ShiftBuilder::new();
        builder
            .push(ev(datetime!(2026-03-02 07:00 +01:00), In))
            .unwrap();
        builder
            .push(ev(datetime!(2026-03-02 16:00 +01:00), Out))
            .unwrap();
        builder
            .push(ev(datetime!(2026-03-03 07:00 +01:00), In))
            .unwrap();
        assert_eq!(polled(&mut builder), [Class::Correct]);
        assert_eq!(builder.pending_events(), 1);
    }

    #[test]
    fn refused_events_change_nothing() {
        let mut builder = ShiftBuilder::new();
        builder
            .push(ev(datetime!(2026-03-02 16:00 +01:00), Out))
            .unwrap();
        let earlier = ev(datetime!(2026-03-02 07:00 +01:00), In);
        assert!(matches!(
            builder.push(earlier),
            Err(Error::EventOutOfOrder { .. })
        ));
        // Same instant: OUT after OUT is fine, IN after OUT is out of order.
        let same = datetime!(2026-03-02 16:00 +01:00);
        assert!(builder.push(ev(same, In)).is_err());
        builder.push(ev(same, Out)).unwrap();
        assert_eq!(builder.pending_events(), 2);

        builder.advance_to(at(datetime!(2026-03-02 17:00 +01:00)));
        let before_clock = ev(datetime!(2026-03-02 17:00 +01:00), In);
        assert!(matches!(
            builder.push(before_clock),
            Err(Error::EventBeforeClock { .. })
        ));
        builder.finish();
        assert_eq!(polled(&mut builder), [Class::MissingIn]);
        let after_finish = ev(datetime!(2026-03-09 07:00 +01:00), In);
        assert_eq!(builder.push(after_finish), Err(Error::Finished));
    }
}
