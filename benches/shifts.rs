//! Forming and classifying shifts over 10 M pre-sorted events on one core.
//!
//! `cargo bench --bench shifts`. Each iteration checks its own result, so a fast
//! wrong answer cannot win.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use loggningsindex::core::{Aggregator, Direction, Event, Key, SortedEvents, Tally, Timestamp};
use std::hint::black_box;
use time::UtcOffset;

const EVENTS: usize = 10_000_000;
const SECOND: i64 = 1_000_000_000;
const HOUR: i64 = 3_600 * SECOND;
/// 2026-01-05T00:00:00+01:00, a Monday.
const START: i64 = 1_767_567_600 * SECOND;

/// A deterministic register in canonical order: each key works day after day,
/// mostly correct, with forgotten check-outs, lunches, correction taps and night
/// shifts mixed in by a fixed pattern.
fn register(events: usize) -> Vec<Event<u32>> {
    let offset = UtcOffset::from_hms(1, 0, 0).expect("valid offset");
    let mut out = Vec::with_capacity(events);
    let mut key_no = 0u32;
    while out.len() < events {
        let key = Key::new(key_no, key_no % 997, key_no % 101);
        for day in 0..200i64 {
            let mix = (u64::from(key_no) * 31 + day as u64 * 17) % 20;
            let base = START + day * 24 * HOUR;
            let mut tap = |at: i64, direction| {
                out.push(Event::new(key, Timestamp::new(at, offset), direction));
            };
            match mix {
                0 => tap(base + 7 * HOUR, Direction::In), // forgot OUT
                1 => {
                    // night shift
                    tap(base + 22 * HOUR, Direction::In);
                    tap(base + 30 * HOUR, Direction::Out);
                }
                2 => {
                    // correction tap, then a normal day
                    tap(base + 7 * HOUR, Direction::Out);
                    tap(base + 7 * HOUR + 10 * SECOND, Direction::In);
                    tap(base + 16 * HOUR, Direction::Out);
                }
                3 | 4 => {
                    // lunch
                    tap(base + 7 * HOUR, Direction::In);
                    tap(base + 11 * HOUR, Direction::Out);
                    tap(base + 12 * HOUR, Direction::In);
                    tap(base + 16 * HOUR, Direction::Out);
                }
                5 => tap(base + 16 * HOUR, Direction::Out), // forgot IN
                _ => {
                    tap(base + 7 * HOUR, Direction::In);
                    tap(base + 16 * HOUR, Direction::Out);
                }
            }
        }
        key_no += 1;
    }
    out.truncate(events);
    out
}

fn tally_shifts(events: &[Event<u32>]) -> Tally {
    let sorted = SortedEvents::new(events).expect("the register is in canonical order");
    let mut tally = Tally::default();
    for (_, shift) in sorted.shifts() {
        tally.add(shift.class);
    }
    tally
}

fn bench(c: &mut Criterion) {
    let events = register(EVENTS);
    let expected = tally_shifts(&events);
    let mut group = c.benchmark_group("core");
    group.sample_size(10);
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.bench_function("shifts/10M", |b| {
        b.iter(|| assert_eq!(tally_shifts(black_box(&events)), expected));
    });
    group.bench_function("summary/10M", |b| {
        b.iter(|| {
            let sorted = SortedEvents::new(black_box(&events)).expect("sorted");
            let mut aggregator = Aggregator::new();
            for (_, shift) in sorted.shifts() {
                aggregator.push(&shift);
            }
            assert_eq!(aggregator.finish().totals.tally, expected);
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
