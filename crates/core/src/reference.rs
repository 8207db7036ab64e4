//! The rules read literally: RULES §3–§5 transcribed as plainly as possible,
//! with dates from the `time` crate and no attention to speed. The fast code
//! is tested against it, and the conformance vectors are generated from it.
//! Feature `reference` (or `proptest`).

use std::collections::BTreeMap;

use time::Date;

use crate::Direction::{In, Out};
use crate::{
    BURST_NANOS, Class, CompanySummary, Direction, Event, GroupStats, Key, Shift, Summary, Tally,
    Timestamp, WINDOW_NANOS, YearMonth,
};

/// The local date of an instant in its offset.
pub fn local_date(at: Timestamp) -> Date {
    at.to_offset_datetime().date()
}

/// RULES §4 read literally: some IN of the opening burst before some OUT of
/// the closing burst, by position.
pub fn reference_class(shift: &[(Timestamp, Direction)]) -> Class {
    let t0 = shift[0].0.unix_nanos();
    let tn = shift[shift.len() - 1].0.unix_nanos();
    let opening: Vec<usize> = (0..shift.len())
        .filter(|&i| shift[i].0.unix_nanos() - t0 <= BURST_NANOS)
        .collect();
    let closing: Vec<usize> = (0..shift.len())
        .filter(|&i| tn - shift[i].0.unix_nanos() <= BURST_NANOS)
        .collect();
    let opening_in = opening.iter().any(|&i| shift[i].1 == In);
    let closing_out = closing.iter().any(|&i| shift[i].1 == Out);
    let in_before_out = opening
        .iter()
        .any(|&i| shift[i].1 == In && closing.iter().any(|&o| shift[o].1 == Out && i < o));
    match (in_before_out, opening_in, closing_out) {
        (true, _, _) => Class::Correct,
        (false, true, _) => Class::MissingOut,
        (false, false, true) => Class::MissingIn,
        (false, false, false) => Class::MissingBoth,
    }
}

/// RULES §3 read literally, with dates from the `time` crate.
pub fn reference_shifts<Id: Ord + Clone>(events: &[Event<Id>]) -> Vec<Shift<Id>> {
    let mut keys: BTreeMap<Key<Id>, Vec<(Timestamp, Direction)>> = BTreeMap::new();
    for e in events {
        keys.entry(e.key.clone())
            .or_default()
            .push((e.at, e.direction));
    }
    let mut shifts = Vec::new();
    for (key, mut evs) in keys {
        evs.sort_by_key(|(at, d)| (at.unix_nanos(), *d, at.offset().whole_seconds()));
        let mut i = 0;
        while i < evs.len() {
            let anchor = evs[i].0;
            let day = local_date(anchor);
            let mut end = i + 1;
            while end < evs.len()
                && local_date(evs[end].0) == day
                && evs[end].0.unix_nanos() - anchor.unix_nanos() <= WINDOW_NANOS
            {
                end += 1;
            }
            let open = reference_class(&evs[i..end]) != Class::Correct && evs[end - 1].1 == In;
            if open {
                let first_in = evs[i..end].iter().find(|e| e.1 == In).expect("open has IN");
                let limit = first_in.0.unix_nanos() + WINDOW_NANOS;
                let run: Vec<usize> = (end..evs.len())
                    .take_while(|&k| {
                        local_date(evs[k].0) == day.next_day().expect("in range")
                            && evs[k].0.unix_nanos() <= limit
                    })
                    .collect();
                if let Some(p) = run.iter().position(|&k| evs[k].1 == Out) {
                    let out_at = evs[run[p]].0.unix_nanos();
                    let tail = run[p + 1..]
                        .iter()
                        .filter(|&&k| evs[k].0.unix_nanos() - out_at <= BURST_NANOS)
                        .count();
                    end = run[p] + 1 + tail;
                }
            }
            let shift = &evs[i..end];
            shifts.push(Shift {
                key: key.clone(),
                work_day: day,
                class: reference_class(shift),
                first: shift[0].0,
                last: shift[shift.len() - 1].0,
                len: shift.len(),
            });
            i = end;
        }
    }
    shifts
}

/// docs/rules.md §5 read literally over the reference shifts: per company, per
/// company and site, per company and month, and in all — tallies, and distinct
/// individuals counted in plain sets.
pub fn reference_summary<Id: Ord + Clone>(events: &[Event<Id>]) -> Summary<Id> {
    use std::collections::BTreeSet;
    type Cell<Id> = (Tally, BTreeSet<Id>);
    let add = |cell: &mut Cell<Id>, shift: &Shift<Id>| {
        cell.0.add(shift.class);
        cell.1.insert(shift.key.person.clone());
    };
    let stats = |cell: &Cell<Id>| GroupStats {
        individuals: cell.1.len() as u64,
        tally: cell.0,
        auto_events: 0,
    };
    let mut totals = Cell::<Id>::default();
    let mut companies: BTreeMap<Id, Cell<Id>> = BTreeMap::new();
    let mut sites: BTreeMap<(Id, Id), Cell<Id>> = BTreeMap::new();
    let mut months: BTreeMap<(Id, YearMonth), Cell<Id>> = BTreeMap::new();
    for shift in reference_shifts(events) {
        let k = shift.key.clone();
        let month = YearMonth::of(shift.work_day);
        add(&mut totals, &shift);
        add(companies.entry(k.company.clone()).or_default(), &shift);
        add(
            sites.entry((k.company.clone(), k.site)).or_default(),
            &shift,
        );
        add(months.entry((k.company, month)).or_default(), &shift);
    }
    Summary {
        totals: stats(&totals),
        companies: companies
            .iter()
            .map(|(c, cell)| {
                let company = CompanySummary {
                    stats: stats(cell),
                    sites: sites
                        .iter()
                        .filter(|((sc, _), _)| sc == c)
                        .map(|((_, s), cell)| (s.clone(), stats(cell)))
                        .collect(),
                    months: months
                        .iter()
                        .filter(|((mc, _), _)| mc == c)
                        .map(|((_, m), cell)| (*m, stats(cell)))
                        .collect(),
                };
                (c.clone(), company)
            })
            .collect(),
    }
}
