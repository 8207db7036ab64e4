//! The in-memory engine on already-parsed events, and CSV to result end to
//! end — on a small population and at national cardinality (the `national`
//! preset of `generate`: 380 000 people, 15 000 sites, 55 % one-person
//! firms; its first 2 M events hold about 380 000 people, 70 000 companies
//! and 10 000 sites).
//!
//! `cargo bench --bench bulk`. Each iteration checks its result, so a fast
//! wrong answer cannot win: the in-memory bench against the sequential
//! core's, the CSV benches against their first run (that the CSV path equals
//! the core is the integration tests' property, `prop_parallel_equals_sequential`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use loggningsindex_bulk::{Options, Verbatim, compute, summarize_parallel};
use loggningsindex_core::{Event, summarize};
use loggningsindex_synth::{CsvOptions, Population, national, workforce_for_events, write_csv};

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

    for (name, population) in [
        ("csv_to_summary/2M", population(CSV_EVENTS)),
        (
            "csv_to_summary/national_2M",
            national::builder().seed(0).build().expect("valid options"),
        ),
    ] {
        csv_to_summary(&mut group, name, &population);
    }
    group.finish();
}

/// `compute` on the first `CSV_EVENTS` events of `population` as CSV in memory.
fn csv_to_summary(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    population: &Population,
) {
    let mut csv = Vec::new();
    let options = CsvOptions {
        limit: Some(CSV_EVENTS),
        ..CsvOptions::default()
    };
    write_csv(population, &options, &mut csv, |_| {}).expect("in memory");
    let run = || {
        compute(
            csv.as_slice(),
            &Options::default(),
            &mut Verbatim,
            &mut |_| {},
        )
        .expect("readable")
    };
    let expected = run().summary;
    group.throughput(Throughput::Elements(CSV_EVENTS));
    group.bench_function(name, |b| b.iter(|| assert!(run().summary == expected)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
