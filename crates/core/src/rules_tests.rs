//! docs/rules.md §6 worked examples, one test each, and the boundaries of §3–§4.
//!
//! Every test runs both the batch and the streaming API (see `testutil::judged`).
//! Monday is 2026-03-02; times are `+01:00` unless the example says otherwise.

use time::Duration;
use time::macros::{date, datetime};

use crate::Class::{Correct, MissingBoth, MissingIn, MissingOut};
use crate::Direction::{In, Out};
use crate::testutil::{KEY, at, ev, judged};
use crate::{Event, Key, shifts_of_key};

const MON: time::Date = date!(2026 - 03 - 02);
const TUE: time::Date = date!(2026 - 03 - 03);

#[test]
fn example_01_in_then_out_is_correct() {
    let events = [
        ev(datetime!(2026-03-02 07:00 +01:00), In),
        ev(datetime!(2026-03-02 16:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 2)]);
}

#[test]
fn example_02_lunch_does_not_matter() {
    let events = [
        ev(datetime!(2026-03-02 07:00 +01:00), In),
        ev(datetime!(2026-03-02 11:30 +01:00), Out),
        ev(datetime!(2026-03-02 12:15 +01:00), In),
        ev(datetime!(2026-03-02 16:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 4)]);
}

#[test]
fn example_03_in_only_is_missing_out() {
    let events = [ev(datetime!(2026-03-02 07:00 +01:00), In)];
    assert_eq!(judged(&events), [(MON, MissingOut, 1)]);
}

#[test]
fn example_04_out_only_is_missing_in() {
    let events = [ev(datetime!(2026-03-02 16:00 +01:00), Out)];
    assert_eq!(judged(&events), [(MON, MissingIn, 1)]);
}

#[test]
fn example_05_out_then_in_is_missing_both() {
    let events = [
        ev(datetime!(2026-03-02 07:00 +01:00), Out),
        ev(datetime!(2026-03-02 15:00 +01:00), In),
    ];
    assert_eq!(judged(&events), [(MON, MissingBoth, 2)]);
}

#[test]
fn example_06_fourteen_hours_splits_in_two() {
    let events = [
        ev(datetime!(2026-03-02 06:00 +01:00), In),
        ev(datetime!(2026-03-02 20:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, MissingOut, 1), (MON, MissingIn, 1)]);
}

#[test]
fn example_07_exactly_thirteen_hours_is_inside() {
    let events = [
        ev(datetime!(2026-03-02 06:00 +01:00), In),
        ev(datetime!(2026-03-02 19:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 2)]);
}

#[test]
fn example_08_night_shift_belongs_to_its_first_day() {
    let events = [
        ev(datetime!(2026-03-02 22:00 +01:00), In),
        ev(datetime!(2026-03-03 07:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 2)]);
}

#[test]
fn example_09_fourteen_hour_night_splits_in_two() {
    let events = [
        ev(datetime!(2026-03-02 18:00 +01:00), In),
        ev(datetime!(2026-03-03 08:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, MissingOut, 1), (TUE, MissingIn, 1)]);
}

#[test]
fn example_10_correction_within_30_s_at_the_start() {
    let events = [
        ev(datetime!(2026-03-02 07:00:00 +01:00), Out),
        ev(datetime!(2026-03-02 07:00:20 +01:00), In),
        ev(datetime!(2026-03-02 16:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 3)]);
}

#[test]
fn example_11_stray_tap_within_30_s_at_the_end() {
    let events = [
        ev(datetime!(2026-03-02 07:00 +01:00), In),
        ev(datetime!(2026-03-02 16:00:00 +01:00), Out),
        ev(datetime!(2026-03-02 16:00:25 +01:00), In),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 3)]);
}

#[test]
fn example_12_stray_tap_after_31_s_is_missing_out() {
    let events = [
        ev(datetime!(2026-03-02 07:00 +01:00), In),
        ev(datetime!(2026-03-02 16:00:00 +01:00), Out),
        ev(datetime!(2026-03-02 16:00:31 +01:00), In),
    ];
    assert_eq!(judged(&events), [(MON, MissingOut, 3)]);
}

#[test]
fn example_13_out_then_in_within_burst_only_is_missing_out() {
    let events = [
        ev(datetime!(2026-03-02 07:00:00 +01:00), Out),
        ev(datetime!(2026-03-02 07:00:10 +01:00), In),
    ];
    assert_eq!(judged(&events), [(MON, MissingOut, 2)]);
}

#[test]
fn example_14_forgotten_out_then_next_day() {
    let events = [
        ev(datetime!(2026-03-02 07:00 +01:00), In),
        ev(datetime!(2026-03-03 07:00 +01:00), In),
        ev(datetime!(2026-03-03 16:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, MissingOut, 1), (TUE, Correct, 2)]);
}

#[test]
fn example_15_stray_tap_joins_a_night_shift() {
    let events = [
        ev(datetime!(2026-03-02 22:00 +01:00), In),
        ev(datetime!(2026-03-03 06:00:00 +01:00), Out),
        ev(datetime!(2026-03-03 06:00:10 +01:00), In),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 3)]);
}

#[test]
fn example_16_night_shift_then_a_day_shift() {
    let events = [
        ev(datetime!(2026-03-02 22:00 +01:00), In),
        ev(datetime!(2026-03-03 06:00 +01:00), Out),
        ev(datetime!(2026-03-03 14:00 +01:00), In),
        ev(datetime!(2026-03-03 22:30 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 2), (TUE, Correct, 2)]);
}

#[test]
fn example_17_two_companies_are_two_keys() {
    let a = Key::new(1, 10, 100);
    let b = Key::new(1, 11, 100);
    let events = [
        Event::new(a, at(datetime!(2026-03-02 07:00 +01:00)), In),
        Event::new(a, at(datetime!(2026-03-02 12:00 +01:00)), Out),
        Event::new(b, at(datetime!(2026-03-02 12:30 +01:00)), In),
        Event::new(b, at(datetime!(2026-03-02 16:00 +01:00)), Out),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 2), (MON, Correct, 2)]);
}

#[test]
fn example_18_two_sites_are_two_keys() {
    let x = Key::new(1, 10, 100);
    let y = Key::new(1, 10, 101);
    let events = [
        Event::new(x, at(datetime!(2026-03-02 07:00 +01:00)), In),
        Event::new(x, at(datetime!(2026-03-02 10:00 +01:00)), Out),
        Event::new(y, at(datetime!(2026-03-02 11:00 +01:00)), In),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 2), (MON, MissingOut, 1)]);
}

#[test]
fn example_19_night_shift_across_the_spring_dst_change() {
    let events = [
        ev(datetime!(2026-03-28 22:00 +01:00), In),
        ev(datetime!(2026-03-29 08:30 +02:00), Out),
    ];
    assert_eq!(judged(&events), [(date!(2026 - 03 - 28), Correct, 2)]);
}

#[test]
fn example_20_late_in_starts_its_own_night_shift() {
    let events = [
        ev(datetime!(2026-03-02 06:00 +01:00), In),
        ev(datetime!(2026-03-02 19:30 +01:00), In),
        ev(datetime!(2026-03-03 02:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, MissingOut, 1), (MON, Correct, 2)]);
}

// ---- Boundaries ----------------------------------------------------------

const NS: Duration = Duration::nanoseconds(1);

#[test]
fn window_is_inclusive_to_the_nanosecond() {
    let start = datetime!(2026-03-02 06:00 +01:00);
    let end = start + Duration::hours(13);
    assert_eq!(judged(&[ev(start, In), ev(end, Out)]), [(MON, Correct, 2)]);
    assert_eq!(
        judged(&[ev(start, In), ev(end + NS, Out)]),
        [(MON, MissingOut, 1), (MON, MissingIn, 1)]
    );
}

#[test]
fn night_extension_is_inclusive_to_the_nanosecond() {
    let start = datetime!(2026-03-02 20:00 +01:00);
    let end = start + Duration::hours(13);
    assert_eq!(judged(&[ev(start, In), ev(end, Out)]), [(MON, Correct, 2)]);
    assert_eq!(
        judged(&[ev(start, In), ev(end + NS, Out)]),
        [(MON, MissingOut, 1), (TUE, MissingIn, 1)]
    );
}

#[test]
fn burst_is_inclusive_to_the_nanosecond() {
    // Opening burst: OUT then IN exactly 30 s later still counts as a correction.
    let t = datetime!(2026-03-02 07:00 +01:00);
    let close = datetime!(2026-03-02 16:00 +01:00);
    let opening = |gap| [ev(t, Out), ev(t + gap, In), ev(close, Out)];
    assert_eq!(judged(&opening(Duration::seconds(30))), [(MON, Correct, 3)]);
    assert_eq!(
        judged(&opening(Duration::seconds(30) + NS)),
        [(MON, MissingIn, 3)]
    );

    // Closing burst: a stray IN exactly 30 s after the OUT is forgiven.
    let closing = |gap| [ev(t, In), ev(close, Out), ev(close + gap, In)];
    assert_eq!(judged(&closing(Duration::seconds(30))), [(MON, Correct, 3)]);
    assert_eq!(
        judged(&closing(Duration::seconds(30) + NS)),
        [(MON, MissingOut, 3)]
    );
}

#[test]
fn night_tail_takes_taps_within_30_s_of_the_out_only() {
    let start = datetime!(2026-03-02 22:00 +01:00);
    let out = datetime!(2026-03-03 06:00 +01:00);
    let tail = |gap| [ev(start, In), ev(out, Out), ev(out + gap, In)];
    assert_eq!(judged(&tail(Duration::seconds(30))), [(MON, Correct, 3)]);
    assert_eq!(
        judged(&tail(Duration::seconds(30) + NS)),
        [(MON, Correct, 2), (TUE, MissingOut, 1)]
    );
}

#[test]
fn night_tail_stops_at_the_extension_limit() {
    // IN 18:00 → L = Tue 07:00. OUT at 06:59:50; a tap at 07:00:05 is within
    // 30 s of the OUT but after L, so it is not part of the run (docs/rules.md).
    let events = [
        ev(datetime!(2026-03-02 18:00 +01:00), In),
        ev(datetime!(2026-03-03 06:59:50 +01:00), Out),
        ev(datetime!(2026-03-03 07:00:05 +01:00), In),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 2), (TUE, MissingOut, 1)]);
}

#[test]
fn local_midnight_ends_the_same_day_window() {
    // 23:59:59.999999999 is Monday, 00:00 is Tuesday. An OUT right after midnight
    // can only join through the night rule, which needs a dangling IN.
    let before = datetime!(2026-03-02 23:59:59.999_999_999 +01:00);
    let midnight = datetime!(2026-03-03 00:00 +01:00);
    assert_eq!(
        judged(&[ev(datetime!(2026-03-02 15:00 +01:00), In), ev(before, Out)]),
        [(MON, Correct, 2)]
    );
    assert_eq!(
        judged(&[
            ev(datetime!(2026-03-02 15:00 +01:00), Out),
            ev(midnight, Out)
        ]),
        [(MON, MissingIn, 1), (TUE, MissingIn, 1)]
    );
    assert_eq!(
        judged(&[
            ev(datetime!(2026-03-02 15:00 +01:00), In),
            ev(midnight, Out)
        ]),
        [(MON, Correct, 2)]
    );
}

#[test]
fn midnight_is_local_not_utc() {
    // 23:30 UTC on Monday is 00:30 Tuesday in Stockholm: a new work day.
    let events = [
        ev(
            datetime!(2026-03-02 23:30 UTC).to_offset(time::macros::offset!(+01:00)),
            In,
        ),
        ev(datetime!(2026-03-03 08:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(TUE, Correct, 2)]);
}

#[test]
fn spring_dst_change_shortens_the_night_in_local_terms() {
    // 2026-03-29 02:00 +01:00 becomes 03:00 +02:00. IN 19:00 Sat (+01:00) to
    // 08:30 Sun (+02:00) is 12 h 30 min elapsed — inside the window, although
    // the wall clocks differ by 13 h 30 min.
    let events = [
        ev(datetime!(2026-03-28 19:00 +01:00), In),
        ev(datetime!(2026-03-29 08:30 +02:00), Out),
    ];
    assert_eq!(judged(&events), [(date!(2026 - 03 - 28), Correct, 2)]);
}

#[test]
fn autumn_dst_change_lengthens_the_night_in_local_terms() {
    // 2026-10-25 03:00 +02:00 becomes 02:00 +01:00. IN 19:00 Sat (+02:00) to
    // 07:30 Sun (+01:00) is 13 h 30 min elapsed — too long, although the wall
    // clocks differ by 12 h 30 min.
    let events = [
        ev(datetime!(2026-10-24 19:00 +02:00), In),
        ev(datetime!(2026-10-25 07:30 +01:00), Out),
    ];
    assert_eq!(
        judged(&events),
        [
            (date!(2026 - 10 - 24), MissingOut, 1),
            (date!(2026 - 10 - 25), MissingIn, 1)
        ]
    );
    // The repeated hour: IN at 02:30 +02:00, OUT at 02:10 +01:00 (40 min later).
    let events = [
        ev(datetime!(2026-10-25 02:30 +02:00), In),
        ev(datetime!(2026-10-25 02:10 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(date!(2026 - 10 - 25), Correct, 2)]);
}

#[test]
fn same_instant_puts_in_before_out() {
    let t = datetime!(2026-03-02 07:00 +01:00);
    // Given OUT first, the key order still puts IN first: one correct shift.
    assert_eq!(judged(&[ev(t, Out), ev(t, In)]), [(MON, Correct, 2)]);
}

#[test]
fn identical_events_are_interchangeable() {
    let t = datetime!(2026-03-02 07:00 +01:00);
    let events = [
        ev(t, In),
        ev(t, In),
        ev(datetime!(2026-03-02 16:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(MON, Correct, 3)]);
}

#[test]
fn shifts_of_key_matches_the_whole_set_api() {
    let mut taps = [
        (at(datetime!(2026-03-03 07:00 +01:00)), Out),
        (at(datetime!(2026-03-02 22:00 +01:00)), In),
    ];
    let shifts = shifts_of_key(KEY, &mut taps);
    assert_eq!(shifts.len(), 1);
    assert_eq!(shifts[0].class, Correct);
    assert_eq!(shifts[0].work_day, MON);
}

/// Mutant regression (review of the house): with `at - 1` changed to `at`
/// in the streaming builder's settle horizon, a shift was finalised at the
/// instant of an event that still belonged to it. IN 07:00, IN 20:00 and
/// OUT 20:00 lie within 13 hours: one correct shift, in batch and streaming
/// alike (`judged` checks both).
#[test]
fn streaming_does_not_settle_a_shift_at_the_instant_of_its_next_event() {
    let events = [
        ev(datetime!(2026-03-02 07:00 +01:00), In),
        ev(datetime!(2026-03-02 20:00 +01:00), In),
        ev(datetime!(2026-03-02 20:00 +01:00), Out),
    ];
    assert_eq!(judged(&events), [(date!(2026 - 03 - 02), Correct, 3)]);
}
