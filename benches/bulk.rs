//! The in-memory engine on already-parsed events, and CSV to result end to end.
//!
//! `cargo bench --bench bulk`. Each iteration checks its result against the
//! sequential core's, so a fast wrong answer cannot win.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use loggningsindex_bulk::{Options, Verbatim, compute, summarize_parallel};
use loggningsindex_core::{Event, summarize};
use loggningsindex_synth::{CsvOptions, Population, workforce_for_events, write_csv};

const EVENTS: u64 = 10_000_000;
const CSV_EVENTS: u64 = 2_000_000;

fn population(events: u64) -> Population {
    Population::builder()
        .seed(1)
        .workforce(workforce_for_events(events, 365))
        .build()
        .expect("valid options")
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("bulk");
    group.sample_size(10);

    let events: Vec<Event<u32>> = population(EVENTS)
        .events()
        .filter(|e| e.origin.takes_part())
        .take(EVENTS as usize)
        .map(|e| e.to_event())
        .collect();
    let expected = summarize(&mut events.clone());
    group.throughput(Throughput::Elements(EVENTS));
    group.bench_function("in_memory/10M", |b| {
        b.iter(|| assert!(summarize_parallel(&events) == expected));
    });
    drop(events);

    let mut csv = Vec::new();
    let options = CsvOptions {
        limit: Some(CSV_EVENTS),
        ..CsvOptions::default()
    };
    write_csv(&population(CSV_EVENTS), &options, &mut csv, |_| {}).expect("in memory");
    let expected = compute(
        csv.as_slice(),
        &Options::default(),
        &mut Verbatim,
        &mut |_| {},
    )
    .expect("readable")
    .summary;
    group.throughput(Throughput::Elements(CSV_EVENTS));
    group.bench_function("csv_to_summary/2M", |b| {
        b.iter(|| {
            let result = compute(
                csv.as_slice(),
                &Options::default(),
                &mut Verbatim,
                &mut |_| {},
            )
            .expect("readable");
            assert!(result.summary == expected);
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
