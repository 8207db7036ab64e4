//! Generating a synthetic register as CSV, on one core.
//!
//! `cargo bench --bench synth`. Output goes to a byte counter, so the figure is
//! the generator's own cost; writing to a file adds the kernel's.

use std::io::{self, Write};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use loggningsindex_synth::{CsvOptions, Population, workforce_for_events, write_csv};

const EVENTS: u64 = 1_000_000;

/// Counts bytes and throws them away.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn bench(c: &mut Criterion) {
    let population = Population::builder()
        .seed(1)
        .workforce(workforce_for_events(EVENTS, 365))
        .build()
        .expect("valid options");
    let options = CsvOptions {
        limit: Some(EVENTS),
        ..CsvOptions::default()
    };
    let mut group = c.benchmark_group("synth");
    group.sample_size(10);
    group.throughput(Throughput::Elements(EVENTS));
    group.bench_function("csv/1M", |b| {
        b.iter(|| {
            let mut out = Counter(0);
            let stats = write_csv(&population, &options, &mut out, |_| {}).expect("in memory");
            assert_eq!(stats.events, EVENTS);
            assert!(out.0 > 70 * EVENTS, "rows are about 80 bytes");
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
