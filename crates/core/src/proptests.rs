//! Property tests: the invariants of docs/rules.md §2–§5 on random event sets, and a
//! plain transcription of the rules as an independent reference.

use proptest::prelude::*;
use time::UtcOffset;

use crate::Direction::In;
use crate::reference::{local_date, reference_shifts, reference_summary};
use crate::strategies::{self, Register};
use crate::testutil::{batch, sort_shifts, streamed};
use crate::{
    Class, Event, Key, Shift, ShiftBuilder, Summary, Tally, Timestamp, WINDOW_NANOS, summarize,
};

fn arb_events() -> impl Strategy<Value = Vec<Event<u32>>> {
    strategies::events(60)
}

fn partition_by_person(events: &[Event<u32>], mask: u8) -> (Vec<Event<u32>>, Vec<Event<u32>>) {
    events.iter().partition(|e| (mask >> e.key.person) & 1 == 1)
}

fn groups_have_shifts(summary: &Summary<u32>) -> bool {
    summary.companies.values().all(|c| {
        !c.stats.tally.is_empty()
            && c.sites
                .values()
                .all(|s| !s.tally.is_empty() && s.individuals > 0)
            && c.months
                .values()
                .all(|m| !m.tally.is_empty() && m.individuals > 0)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn prop_batch_equals_literal_reading_of_the_rules(events in arb_events()) {
        let shifts: Vec<Shift<u32>> = batch(&events).into_iter().map(|(_, s)| s).collect();
        prop_assert_eq!(shifts, reference_shifts(&events));
    }

    /// The summary equals one built by hand from the literal reading of the
    /// rules (catches, e.g., runs of shifts merged across sites).
    #[test]
    fn prop_summary_equals_reference_model(events in arb_events()) {
        let mut all = events.clone();
        prop_assert_eq!(summarize(&mut all), reference_summary(&events));
    }

    /// Registers planned shift by shift get exactly the planned classes.
    #[test]
    fn prop_planned_registers_get_their_classes(Register { events, expected } in strategies::register_with_classes(5)) {
        let mut found: Vec<(Key<u32>, time::Date, Class)> = batch(&events)
            .into_iter()
            .map(|(_, s)| (s.key, s.work_day, s.class))
            .collect();
        found.sort();
        prop_assert_eq!(found, expected);
    }

    #[test]
    fn prop_every_event_in_one_shift(events in arb_events()) {
        let shifts = batch(&events);
        let mut next = 0;
        for (range, shift) in &shifts {
            prop_assert_eq!(range.start, next, "gap or overlap before a shift");
            prop_assert!(range.end > range.start, "empty shift");
            prop_assert_eq!(range.len(), shift.len);
            next = range.end;
        }
        prop_assert_eq!(next, events.len());
    }

    #[test]
    fn prop_shift_is_a_contiguous_run_of_its_key(events in arb_events()) {
        let mut sorted = events.clone();
        let sorted = crate::SortedEvents::sort(&mut sorted);
        let all = sorted.as_slice();
        for (range, shift) in sorted.shifts() {
            prop_assert!(all[range.clone()].iter().all(|e| e.key == shift.key));
            prop_assert_eq!(all[range.start].at, shift.first);
            prop_assert_eq!(all[range.end - 1].at, shift.last);
        }
    }

    #[test]
    fn prop_shift_span_is_bounded_by_the_window(events in arb_events()) {
        let mut sorted = events.clone();
        let sorted = crate::SortedEvents::sort(&mut sorted);
        for (range, shift) in sorted.shifts() {
            let evs = &sorted.as_slice()[range];
            let start = shift.first.unix_nanos();
            let first_in = evs.iter().find(|e| e.direction == In).map(|e| e.at.unix_nanos());
            for e in evs {
                let t = e.at.unix_nanos();
                if local_date(e.at) == shift.work_day {
                    prop_assert!(t - start <= WINDOW_NANOS, "same-day event beyond 13 h");
                } else {
                    prop_assert_eq!(local_date(e.at), shift.work_day.next_day().unwrap());
                    let f = first_in.expect("a night extension has an IN");
                    prop_assert!(t - f <= WINDOW_NANOS, "night event beyond 13 h of first IN");
                }
            }
            prop_assert_eq!(shift.work_day, local_date(shift.first));
        }
    }

    #[test]
    fn prop_input_order_irrelevant(
        (events, shuffled) in arb_events().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        prop_assert_eq!(batch(&events), batch(&shuffled));
        let mut a = events.clone();
        let mut b = shuffled.clone();
        prop_assert_eq!(summarize(&mut a), summarize(&mut b));
    }

    #[test]
    fn prop_streaming_equals_batch(events in arb_events()) {
        let mut shifts: Vec<Shift<u32>> = batch(&events).into_iter().map(|(_, s)| s).collect();
        sort_shifts(&mut shifts);
        prop_assert_eq!(streamed(&events), shifts);
    }

    #[test]
    fn prop_streaming_with_clock_equals_batch(events in arb_events(), ticks in prop::collection::vec(any::<bool>(), 60)) {
        let mut by_time = events.clone();
        by_time.sort_by_key(|e| (e.at.unix_nanos(), e.direction, e.at.offset().whole_seconds()));
        let mut builder = ShiftBuilder::new();
        let mut out = Vec::new();
        for (i, e) in by_time.iter().enumerate() {
            // The register's clock may tick just before each event.
            if ticks[i] {
                builder.advance_to(Timestamp::new(e.at.unix_nanos() - 1, UtcOffset::UTC));
                out.extend(std::iter::from_fn(|| builder.poll_shift()));
            }
            builder.push(*e).unwrap();
            out.extend(std::iter::from_fn(|| builder.poll_shift()));
        }
        // Past every shift's last possible moment, all are out without `finish`.
        if let Some(last) = by_time.last() {
            let beyond = last.at.unix_nanos() + 2 * WINDOW_NANOS;
            builder.advance_to(Timestamp::new(beyond, UtcOffset::UTC));
            out.extend(std::iter::from_fn(|| builder.poll_shift()));
        }
        prop_assert_eq!(builder.pending_events(), 0);
        builder.finish();
        prop_assert_eq!(builder.poll_shift(), None);
        sort_shifts(&mut out);
        let mut shifts: Vec<Shift<u32>> = batch(&events).into_iter().map(|(_, s)| s).collect();
        sort_shifts(&mut shifts);
        prop_assert_eq!(out, shifts);
    }

    #[test]
    fn prop_merge_equals_whole(events in arb_events(), mask in any::<u8>()) {
        let (mut left, mut right) = partition_by_person(&events, mask);
        let mut whole = events.clone();
        let mut merged = summarize(&mut left);
        merged.merge(summarize(&mut right));
        prop_assert_eq!(merged, summarize(&mut whole));
    }

    #[test]
    fn prop_merge_is_commutative_and_associative(events in arb_events(), m1 in any::<u8>(), m2 in any::<u8>()) {
        let (a, rest) = partition_by_person(&events, m1);
        let (b, c) = partition_by_person(&rest, m2);
        let [sa, sb, sc] = [a, b, c].map(|mut part| summarize(&mut part));
        let mut left = sa.clone();
        left.merge(sb.clone());
        left.merge(sc.clone());
        let mut right = sc;
        let mut bc = sb;
        bc.merge(sa);
        right.merge(bc);
        prop_assert_eq!(left, right);
    }

    #[test]
    fn prop_index_is_null_exactly_without_shifts(events in arb_events(), extra in any::<[u8; 4]>()) {
        let mut all = events.clone();
        let summary = summarize(&mut all);
        prop_assert_eq!(summary.totals.tally.index().is_none(), events.is_empty());
        prop_assert!(groups_have_shifts(&summary));
        let tally = Tally {
            correct: u64::from(extra[0] % 3),
            missing_in: u64::from(extra[1] % 3),
            missing_out: u64::from(extra[2] % 3),
            missing_both: u64::from(extra[3] % 3),
        };
        prop_assert_eq!(tally.index().is_none(), tally.shifts() == 0);
        prop_assert_eq!(tally.rounded_index().is_none(), tally.shifts() == 0);
    }

    #[test]
    fn prop_tallies_count_every_shift_once(events in arb_events()) {
        let shifts = batch(&events);
        let mut all = events.clone();
        let summary = summarize(&mut all);
        prop_assert_eq!(summary.totals.tally.shifts(), shifts.len() as u64);
        let company_sum: u64 = summary.companies.values().map(|c| c.stats.tally.shifts()).sum();
        prop_assert_eq!(company_sum, shifts.len() as u64);
        for company in summary.companies.values() {
            let sites: Tally = company.sites.values().map(|s| s.tally).sum();
            let months: Tally = company.months.values().map(|m| m.tally).sum();
            prop_assert_eq!(sites, company.stats.tally);
            prop_assert_eq!(months, company.stats.tally);
        }
    }
}
