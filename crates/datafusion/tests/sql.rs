//! The SQL index equals `compute`: on every conformance vector (the worked
//! examples of the rules and more), and on random registers split over
//! partitions (so partial aggregates are merged).

use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use loggningsindex_core::strategies::stockholm_event;
use loggningsindex_core::{Direction, Event, Key, Summary, summarize};
use loggningsindex_format::Records;
use loggningsindex_report::Report;
use proptest::prelude::*;
use serde_json::Value;

/// A table of text columns from CSV text, in `partitions` partitions.
fn table(csv: &str, partitions: usize) -> Option<MemTable> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().ok()?.iter().map(str::to_string).collect();
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().ok()?;
    let named = |c: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(c));
    if rows.iter().any(|r| r.len() != header.len()) || !named("person") || !named("direction") {
        return None; // a ragged file, or another delimiter: not a table of these columns
    }
    let columns: Vec<(String, ArrayRef)> = header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<&str> = rows.iter().map(|r| &r[i]).collect();
            (
                name.trim().to_lowercase(),
                Arc::new(StringArray::from(values)) as ArrayRef,
            )
        })
        .collect();
    let batch = RecordBatch::try_from_iter(columns).ok()?;
    let schema = batch.schema();
    let size = batch.num_rows().div_ceil(partitions).max(1);
    let parts: Vec<Vec<RecordBatch>> = (0..partitions)
        .map(|p| {
            let start = (p * size).min(batch.num_rows());
            vec![batch.slice(start, size.min(batch.num_rows() - start))]
        })
        .collect();
    MemTable::try_new(schema, parts).ok()
}

fn context(partitions: usize) -> SessionContext {
    let ctx =
        SessionContext::new_with_config(SessionConfig::new().with_target_partitions(partitions));
    loggningsindex_datafusion::register(&ctx, &loggningsindex_zone::Zone::stockholm());
    ctx
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn sql_index(csv: &str, partitions: usize) -> Option<Value> {
    let ctx = context(partitions);
    ctx.register_table("events", Arc::new(table(csv, partitions)?))
        .unwrap();
    let report = loggningsindex_datafusion::index(&ctx, "events")
        .await
        .unwrap();
    Some(serde_json::to_value(report).unwrap())
}

#[test]
fn every_conformance_vector_gives_the_expected_result() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance");
    let (mut ran, mut skipped, mut failed) = (0, Vec::new(), Vec::new());
    let runtime = runtime();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|d| d.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let csv = std::fs::read_to_string(dir.join("events.csv")).unwrap();
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap();
        match runtime.block_on(sql_index(&csv, 3)) {
            Some(got) => {
                if got != expected {
                    failed.push(dir.file_name().unwrap().to_string_lossy().into_owned());
                }
                ran += 1;
            }
            None => skipped.push(dir.file_name().unwrap().to_string_lossy().into_owned()),
        }
    }
    // Only files whose rows do not all have the header's width cannot be a table.
    assert!(
        failed.is_empty(),
        "{} of {ran} differ: {failed:?}",
        failed.len()
    );
    assert!(ran >= 100, "{ran} vectors ran; skipped {skipped:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_sql_index_of_a_random_register_equals_the_cores(
        events in prop::collection::vec((stockholm_event(5, 3, 2), 0u8..6), 0..120),
        partitions in 1usize..5,
    ) {
        let mut csv = String::from("person,company,site,timestamp,direction,origin\n");
        let mut taking_part = Vec::new();
        let mut autos = Vec::new();
        for (event, kind) in &events {
            let at = event.at.to_offset_datetime().format(&time::format_description::well_known::Rfc3339).unwrap();
            let direction = if event.direction == Direction::In { "IN" } else { "OUT" };
            let origin = if *kind == 0 { "auto" } else { "card" };
            // Fields are trimmed of spaces and tabs, timestamps too.
            let at = if *kind == 1 { format!(" {at}\t") } else { at };
            let key = &event.key;
            csv.push_str(&format!("p{},c{},s{},{at},{direction},{origin}\n", key.person, key.company, key.site));
            let named = Event::new(
                Key::new(format!("p{}", key.person), format!("c{}", key.company), format!("s{}", key.site)),
                event.at,
                event.direction,
            );
            if *kind == 0 {
                autos.push(named);
            } else {
                taking_part.push(named);
            }
        }
        let mut summary: Summary<String> = summarize(&mut taking_part);
        for e in &autos {
            summary.add_auto(e.key.company.clone(), e.key.site.clone(), e.at.local_date());
        }
        let n = events.len() as u64;
        let expected = Report::new(Records { read: n, accepted: n, rejected: 0 }, &summary);
        let got = runtime().block_on(sql_index(&csv, partitions)).unwrap();
        prop_assert_eq!(got, serde_json::to_value(expected).unwrap());
    }
}
