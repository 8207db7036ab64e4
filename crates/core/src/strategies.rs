//! Proptest strategies for downstream property tests (feature `proptest`):
//! instants, keys, events, registers whose shift classes are known in
//! advance, and summaries.
//!
//! ```
//! use loggningsindex_core::strategies::{register_with_classes, Register};
//! use loggningsindex_core::summarize;
//! use proptest::prelude::*;
//!
//! proptest!(|(Register { mut events, expected } in register_with_classes(4))| {
//!     // Whatever engine you test, it must find exactly the planned classes.
//!     let summary = summarize(&mut events);
//!     prop_assert_eq!(summary.totals.tally.shifts(), expected.len() as u64);
//! });
//! ```

use proptest::prelude::*;
use time::{Date, UtcOffset};

use crate::{Class, Direction, Event, Key, NANOS_PER_SECOND, Summary, Timestamp, summarize};

/// 2026-03-27T00:00:00Z: the three days after it span the spring DST change
/// in Europe/Stockholm (2026-03-29 02:00 → 03:00).
pub const BASE_NANOS: i64 = 1_774_569_600 * NANOS_PER_SECOND;

/// The Stockholm offset at an instant near [`BASE_NANOS`] (the spring
/// change at 2026-03-29T01:00:00Z); what a reader in that zone assigns.
pub fn stockholm_offset(unix_nanos: i64) -> UtcOffset {
    let change = 1_774_746_000 * NANOS_PER_SECOND;
    let hours = if unix_nanos >= change { 2 } else { 1 };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// Instants in the three days after [`BASE_NANOS`], on grids that make the
/// rules' boundaries common: anywhere to the second; every ten seconds (30 s
/// bursts); every half hour (exact 13 h gaps, local midnights); and a
/// nanosecond either side of the half hours.
pub fn instant() -> impl Strategy<Value = i64> {
    let second = NANOS_PER_SECOND;
    prop_oneof![
        (0..3 * 86_400i64).prop_map(move |s| BASE_NANOS + s * second),
        (0..3 * 8_640i64).prop_map(move |k| BASE_NANOS + k * 10 * second),
        (0..3 * 48i64).prop_map(move |k| BASE_NANOS + k * 1_800 * second),
        (0..3 * 48i64, -1..=1i64).prop_map(move |(k, d)| BASE_NANOS + k * 1_800 * second + d),
    ]
}

/// As [`instant`], on whole seconds only — what an event file written to the
/// second can hold.
pub fn whole_second_instant() -> impl Strategy<Value = i64> {
    let second = NANOS_PER_SECOND;
    prop_oneof![
        (0..3 * 86_400i64).prop_map(move |s| BASE_NANOS + s * second),
        (0..3 * 8_640i64).prop_map(move |k| BASE_NANOS + k * 10 * second),
        (0..3 * 48i64, -1..=1i64).prop_map(move |(k, d)| BASE_NANOS + (k * 1_800 + d) * second),
    ]
}

/// Keys with person below `people`, company below `companies`, site below `sites`.
pub fn key(people: u32, companies: u32, sites: u32) -> impl Strategy<Value = Key<u32>> {
    (0..people.max(1), 0..companies.max(1), 0..sites.max(1)).prop_map(|(p, c, s)| Key::new(p, c, s))
}

/// `IN` or `OUT`.
pub fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::In), Just(Direction::Out)]
}

/// Events of a few keys at [`instant`]s, each with an offset drawn from
/// +01:00, +02:00, UTC and −05:00 (so local dates differ from UTC dates).
pub fn event() -> impl Strategy<Value = Event<u32>> {
    (
        key(3, 2, 2),
        instant(),
        direction(),
        prop_oneof![Just(3_600), Just(7_200), Just(0), Just(-18_000)],
    )
        .prop_map(|(key, nanos, direction, offset)| {
            let offset = UtcOffset::from_whole_seconds(offset).unwrap_or(UtcOffset::UTC);
            Event::new(key, Timestamp::new(nanos, offset), direction)
        })
}

/// Events at [`whole_second_instant`]s with the Stockholm offset at each —
/// what an event file read in that zone yields, so events survive a round
/// trip through CSV written to the second.
pub fn stockholm_event(
    people: u32,
    companies: u32,
    sites: u32,
) -> impl Strategy<Value = Event<u32>> {
    (
        key(people, companies, sites),
        whole_second_instant(),
        direction(),
    )
        .prop_map(|(key, nanos, direction)| {
            Event::new(
                key,
                Timestamp::new(nanos, stockholm_offset(nanos)),
                direction,
            )
        })
}

/// Up to `max` events of [`event`].
pub fn events(max: usize) -> impl Strategy<Value = Vec<Event<u32>>> {
    prop::collection::vec(event(), 0..=max)
}

/// A register whose shifts are planned: the events, and for every shift its
/// key, work day and class, in key and day order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Register {
    /// The events, in no particular order.
    pub events: Vec<Event<u32>>,
    /// Every shift the rules must find: key, work day, class.
    pub expected: Vec<(Key<u32>, Date, Class)>,
}

/// One planned day of one key: the class of its first shift and the taps
/// (seconds after local midnight) that make it so.
fn planned_day() -> impl Strategy<Value = (Class, Vec<(i64, Direction)>)> {
    use Direction::{In, Out};
    let h = 3_600i64;
    prop_oneof![
        // Correct: IN in the morning, OUT within 13 h, maybe a lunch break.
        (6 * h..9 * h, 4 * h..=10 * h, any::<bool>()).prop_map(move |(start, len, lunch)| {
            let mut taps = vec![(start, In)];
            if lunch {
                taps.push((start + 2 * h, Out));
                taps.push((start + 3 * h, In));
            }
            taps.push((start + len, Out));
            (Class::Correct, taps)
        }),
        // A correction at the door within 30 s: still correct.
        (6 * h..9 * h, 0..=30i64).prop_map(move |(start, gap)| {
            (
                Class::Correct,
                vec![(start, Out), (start + gap, In), (start + 8 * h, Out)],
            )
        }),
        (6 * h..12 * h).prop_map(|start| (Class::MissingOut, vec![(start, In)])),
        (12 * h..18 * h).prop_map(|end| (Class::MissingIn, vec![(end, Out)])),
        (6 * h..9 * h)
            .prop_map(move |start| (Class::MissingBoth, vec![(start, Out), (start + 8 * h, In)])),
        // Longer than 13 h: two deficient shifts on one day.
        (5 * h..7 * h).prop_map(move |start| {
            (
                Class::MissingOut,
                vec![(start, In), (start + 13 * h + 1, Out)],
            )
        }),
    ]
}

/// A register of up to `keys` keys, each with planned days (one shift per day,
/// on separate days, in local time +01:00), and the classes the rules must
/// give them.
pub fn register_with_classes(keys: u32) -> impl Strategy<Value = Register> {
    let day_nanos = 86_400 * NANOS_PER_SECOND;
    prop::collection::vec(
        (
            key(keys, 2, 2),
            prop::collection::vec((0u32..20, planned_day()), 1..4),
        ),
        0..=keys as usize,
    )
    .prop_map(move |plans| {
        let offset = UtcOffset::from_hms(1, 0, 0).unwrap_or(UtcOffset::UTC);
        let mut events = Vec::new();
        let mut expected = Vec::new();
        // Each key has its days once; a later plan for a key already planned is dropped.
        let mut used: std::collections::BTreeSet<(Key<u32>, u32)> = Default::default();
        for (key, days) in plans {
            for (day, (class, taps)) in days {
                if !used.insert((key, day)) {
                    continue;
                }
                // Local midnight of day `day` after 2026-01-05 (all +01:00).
                let midnight = 1_767_567_600 * NANOS_PER_SECOND + i64::from(day) * 2 * day_nanos;
                for (seconds, direction) in &taps {
                    let at = midnight + seconds * NANOS_PER_SECOND;
                    events.push(Event::new(key, Timestamp::new(at, offset), *direction));
                }
                let work_day = Timestamp::new(midnight, offset).local_date();
                expected.push((key, work_day, class));
                if taps.len() == 2
                    && taps[1].0 - taps[0].0 > 13 * 3_600
                    && class == Class::MissingOut
                {
                    expected.push((key, work_day, Class::MissingIn));
                }
            }
        }
        expected.sort();
        Register { events, expected }
    })
}

/// Summaries of random [`events`], for tests of what consumes summaries
/// (merging, reports, serialisation).
pub fn summary() -> impl Strategy<Value = Summary<u32>> {
    events(60).prop_map(|mut events| summarize(&mut events))
}
