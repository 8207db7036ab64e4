//! Shifts (arbetspass), their four classes, and the rules that form and judge them.
//!
//! Both the batch API ([`crate::SortedEvents`]) and the streaming API
//! ([`crate::ShiftBuilder`]) call the one scanner in this module, so they cannot
//! disagree about where a shift ends.

use core::fmt;

use time::Date;

use crate::event::{Direction, Event, Key, NANOS_PER_DAY, NANOS_PER_SECOND, Timestamp};

/// docs/rules.md §3 `WINDOW`: a shift's same-day events lie within 13 hours of its
/// anchor, inclusive; a night-shift extension lies within 13 hours of its first `IN`.
pub const WINDOW_NANOS: i64 = 13 * 3600 * NANOS_PER_SECOND;

/// docs/rules.md §3 `BURST`: 30 seconds, inclusive. Events this close to a shift's first
/// (last) event form its opening (closing) burst.
pub const BURST_NANOS: i64 = 30 * NANOS_PER_SECOND;

/// How a shift was logged (docs/rules.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Class {
    /// Checked in at the start and out at the end.
    Correct,
    /// Checked in at the start, but no check-out at the end.
    MissingOut,
    /// No check-in at the start, but a check-out at the end.
    MissingIn,
    /// Neither a check-in at the start nor a check-out at the end.
    MissingBoth,
}

impl Class {
    /// All four classes, in the order the JSON result lists their counts.
    pub const ALL: [Class; 4] = [
        Class::Correct,
        Class::MissingIn,
        Class::MissingOut,
        Class::MissingBoth,
    ];

    /// The snake-case name used in every output (`correct`, `missing_in`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Class::Correct => "correct",
            Class::MissingOut => "missing_out",
            Class::MissingIn => "missing_in",
            Class::MissingBoth => "missing_both",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One work shift (arbetspass): a contiguous run of one key's events, judged.
///
/// A shift describes its events by their first and last timestamps and their
/// number; the batch API also says which slice of the input they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Shift<Id> {
    /// Person, company and site.
    pub key: Key<Id>,
    /// The local date of the shift's first event; a night shift belongs to the
    /// day it started (docs/rules.md §5).
    pub work_day: Date,
    /// How the shift was logged.
    pub class: Class,
    /// The shift's first event.
    pub first: Timestamp,
    /// The shift's last event.
    pub last: Timestamp,
    /// How many events the shift holds (at least one).
    pub len: usize,
}

/// What the scanner needs of an event: its instant and direction.
pub(crate) trait Tap {
    fn at(&self) -> Timestamp;
    fn direction(&self) -> Direction;
}

impl<Id> Tap for Event<Id> {
    #[inline]
    fn at(&self) -> Timestamp {
        self.at
    }
    #[inline]
    fn direction(&self) -> Direction {
        self.direction
    }
}

impl Tap for (Timestamp, Direction) {
    #[inline]
    fn at(&self) -> Timestamp {
        self.0
    }
    #[inline]
    fn direction(&self) -> Direction {
        self.1
    }
}

/// The scanner's answer about the first shift of a key's ordered events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    /// The first shift is the first `len` events, whatever comes later.
    Final { len: usize },
    /// A later event at or before the instant `until` (Unix nanoseconds) could
    /// still join the first shift; after it, the shift is decided.
    Undecided { until: i64 },
}

/// Finds the first shift of one key's events in canonical order (docs/rules.md §3).
///
/// `horizon` is what the caller knows about events not in `events`: every one of
/// them is strictly after that instant. Batch callers pass `i64::MAX` (there are
/// no more events) and always get [`Cut::Final`].
///
/// `events` must not be empty.
pub(crate) fn first_shift<T: Tap>(events: &[T], horizon: i64) -> Cut {
    let n = events.len();
    let anchor = events[0].at();
    let day = anchor.local_day();
    let day_start = i64::from(day).saturating_mul(NANOS_PER_DAY);
    let window_end = anchor.unix_nanos().saturating_add(WINDOW_NANOS);

    // Step 2: the same-day window.
    let mut end = 1;
    while end < n {
        let at = events[end].at();
        if at.unix_nanos() > window_end || !is_on_day(at, day_start) {
            break;
        }
        end += 1;
    }
    if end == n && horizon < window_end {
        return Cut::Undecided { until: window_end };
    }

    // Step 3: a dangling IN may take the next day's run up to its first OUT.
    let shift = &events[..end];
    if shift[end - 1].direction() != Direction::In || classify(shift) == Class::Correct {
        return Cut::Final { len: end };
    }
    let first_in = shift
        .iter()
        .find(|e| e.direction() == Direction::In)
        .map_or(anchor, Tap::at);
    let limit = first_in.unix_nanos().saturating_add(WINDOW_NANOS);
    let next_day_start = day_start.saturating_add(NANOS_PER_DAY);
    let in_run = |e: &T| e.at().unix_nanos() <= limit && is_on_day(e.at(), next_day_start);

    let mut k = end;
    while k < n && in_run(&events[k]) {
        if events[k].direction() == Direction::Out {
            // The first OUT of the run, plus the run's events within BURST after it.
            let tail_end = limit.min(events[k].at().unix_nanos().saturating_add(BURST_NANOS));
            let mut stop = k + 1;
            while stop < n && in_run(&events[stop]) && events[stop].at().unix_nanos() <= tail_end {
                stop += 1;
            }
            if stop == n && horizon < tail_end {
                return Cut::Undecided { until: tail_end };
            }
            return Cut::Final { len: stop };
        }
        k += 1;
    }
    if k == n && horizon < limit {
        return Cut::Undecided { until: limit };
    }
    Cut::Final { len: end }
}

/// The length of the first shift of `events` when no further events exist.
pub(crate) fn complete_first_shift<T: Tap>(events: &[T]) -> usize {
    match first_shift(events, i64::MAX) {
        Cut::Final { len } => len,
        // With an infinite horizon the scanner always decides.
        Cut::Undecided { .. } => events.len(),
    }
}

/// Whether `at`'s local date is the day starting at `day_start` (local nanoseconds).
#[inline]
fn is_on_day(at: Timestamp, day_start: i64) -> bool {
    let local = at.local_nanos();
    local >= day_start && local.saturating_sub(day_start) < NANOS_PER_DAY
}

/// Judges one shift by its opening and closing bursts (docs/rules.md §4).
///
/// `shift` must not be empty and must be in canonical order.
pub(crate) fn classify<T: Tap>(shift: &[T]) -> Class {
    let opening_end = shift[0].at().unix_nanos().saturating_add(BURST_NANOS);
    let closing_start = shift[shift.len() - 1]
        .at()
        .unix_nanos()
        .saturating_sub(BURST_NANOS);

    // The earliest IN of the opening burst and the latest OUT of the closing burst
    // decide: some IN before some OUT exists exactly when these two are in order.
    let opening_in = shift
        .iter()
        .take_while(|e| e.at().unix_nanos() <= opening_end)
        .position(|e| e.direction() == Direction::In);
    let closing_out = shift
        .iter()
        .enumerate()
        .rev()
        .take_while(|(_, e)| e.at().unix_nanos() >= closing_start)
        .find(|(_, e)| e.direction() == Direction::Out)
        .map(|(i, _)| i);

    match (opening_in, closing_out) {
        (Some(i), Some(o)) if i < o => Class::Correct,
        (Some(_), _) => Class::MissingOut,
        (None, Some(_)) => Class::MissingIn,
        (None, None) => Class::MissingBoth,
    }
}

/// Builds the [`Shift`] record for a decided run of events of `key`.
pub(crate) fn judge<Id, T: Tap>(key: Key<Id>, shift: &[T]) -> Shift<Id> {
    let first = shift[0].at();
    Shift {
        key,
        work_day: first.local_date(),
        class: classify(shift),
        first,
        last: shift[shift.len() - 1].at(),
        len: shift.len(),
    }
}
