//! Parquet and Arrow IPC input gives the CSV result on the same rows, with
//! rejects at the same rows (row numbers instead of line numbers).
#![cfg(feature = "arrow")]

use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
    TimestampNanosecondArray,
};
use loggningsindex_bulk::columnar::{Columnar, Kind, compute_columnar};
use loggningsindex_bulk::{Computation, Options, Verbatim, compute};
use loggningsindex_synth::{CsvOptions, Population, write_csv};
use loggningsindex_zone::Zone;

/// A synthetic register with bad rows, as CSV records of the header's width.
fn register() -> (Vec<String>, Vec<Vec<String>>) {
    let population = Population::builder()
        .seed(5)
        .companies(40)
        .dates(
            time::macros::date!(2026 - 03 - 20),
            time::macros::date!(2026 - 04 - 05),
        )
        .build()
        .unwrap();
    let options = CsvOptions {
        bad_rows: 40,
        ..CsvOptions::default()
    };
    let mut csv = Vec::new();
    write_csv(&population, &options, &mut csv, |_| {}).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .filter_map(|r| r.ok())
        .filter(|r| r.len() == header.len())
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).unwrap();
    for row in rows {
        out.write_record(row).unwrap();
    }
    out.into_inner().unwrap()
}

/// The columns as Arrow arrays: text, except `direction` and `site` as
/// dictionaries, and `timestamp` as `stamp` makes it.
fn batch(
    header: &[String],
    rows: &[Vec<String>],
    stamp: &dyn Fn(&[String]) -> ArrayRef,
) -> RecordBatch {
    let mut arrays: Vec<(String, ArrayRef)> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let values: Vec<String> = rows.iter().map(|r| r[i].clone()).collect();
        let array: ArrayRef = match name.as_str() {
            "timestamp" => stamp(&values),
            "direction" | "site" => {
                let mut b = StringDictionaryBuilder::<Int32Type>::new();
                for v in &values {
                    b.append_value(v);
                }
                Arc::new(b.finish())
            }
            _ => Arc::new(StringArray::from(values)),
        };
        arrays.push((name.to_uppercase(), array));
    }
    RecordBatch::try_from_iter(arrays).unwrap()
}

fn parquet(batch: &RecordBatch) -> Vec<u8> {
    let mut out = Vec::new();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(700))
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).unwrap();
    // Several batches and row groups, so row numbers cross their edges.
    for start in (0..batch.num_rows()).step_by(1000) {
        writer
            .write(&batch.slice(start, 1000.min(batch.num_rows() - start)))
            .unwrap();
    }
    writer.close().unwrap();
    out
}

fn run(kind: Kind, bytes: Vec<u8>) -> Computation {
    assert_eq!(Kind::of(&bytes), kind);
    compute_columnar(
        kind,
        Columnar::Bytes(bytes),
        &Options::default(),
        &mut Verbatim,
        &mut |_| {},
    )
    .unwrap()
}

fn assert_same(columnar: &Computation, from_csv: &Computation) {
    assert_eq!(columnar.summary, from_csv.summary);
    assert_eq!(columnar.records, from_csv.records);
    // CSV line 2 is the first row.
    let rows: Vec<_> = from_csv
        .rejects
        .iter()
        .map(|r| (r.line - 1, r.reason))
        .collect();
    let got: Vec<_> = columnar
        .rejects
        .iter()
        .map(|r| (r.line, r.reason))
        .collect();
    assert_eq!(got, rows);
}

#[test]
fn parquet_and_arrow_with_text_timestamps_give_the_csv_result() {
    let (header, rows) = register();
    let from_csv = compute(
        csv_bytes(&header, &rows).as_slice(),
        &Options::default(),
        &mut Verbatim,
        &mut |_| {},
    )
    .unwrap();
    assert!(from_csv.records.rejected > 10 && from_csv.records.accepted > 5000);
    let text = |v: &[String]| -> ArrayRef { Arc::new(StringArray::from(v.to_vec())) };
    let b = batch(&header, &rows, &text);
    assert_same(&run(Kind::Parquet, parquet(&b)), &from_csv);

    let mut file = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut file, &b.schema()).unwrap();
    w.write(&b.slice(0, 3000)).unwrap();
    w.write(&b.slice(3000, b.num_rows() - 3000)).unwrap();
    w.finish().unwrap();
    drop(w);
    assert_same(&run(Kind::ArrowFile, file), &from_csv);

    let mut stream = Vec::new();
    let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut stream, &b.schema()).unwrap();
    w.write(&b).unwrap();
    w.finish().unwrap();
    drop(w);
    assert_same(&run(Kind::ArrowStream, stream), &from_csv);
}

#[test]
fn typed_timestamps_with_and_without_a_zone_give_the_csv_result() {
    let (header, rows) = register();
    // Only rows whose timestamp reads: a typed column cannot hold a bad one.
    let t = header.iter().position(|h| h == "timestamp").unwrap();
    let mut offsets = Zone::stockholm().offsets();
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .filter(|r| loggningsindex_format::parse_timestamp(r[t].as_str(), &mut offsets).is_ok())
        .collect();
    let from_csv = compute(
        csv_bytes(&header, &rows).as_slice(),
        &Options::default(),
        &mut Verbatim,
        &mut |_| {},
    )
    .unwrap();
    let instants = |v: &[String]| -> Vec<(i64, i64)> {
        let mut offsets = Zone::stockholm().offsets();
        v.iter()
            .map(|s| {
                let at = loggningsindex_format::parse_timestamp(s.as_str(), &mut offsets).unwrap();
                (
                    at.unix_nanos(),
                    at.unix_nanos() + i64::from(at.offset().whole_seconds()) * 1_000_000_000,
                )
            })
            .collect()
    };
    let zoned = |v: &[String]| -> ArrayRef {
        let values: Vec<i64> = instants(v).iter().map(|x| x.0).collect();
        Arc::new(TimestampNanosecondArray::from(values).with_timezone("UTC"))
    };
    assert_same(
        &run(Kind::Parquet, parquet(&batch(&header, &rows, &zoned))),
        &from_csv,
    );
    // Wall-clock microseconds without a zone: Swedish local time.
    let naive = |v: &[String]| -> ArrayRef {
        let values: Vec<i64> = instants(v).iter().map(|x| x.1 / 1000).collect();
        Arc::new(TimestampMicrosecondArray::from(values))
    };
    assert_same(
        &run(Kind::Parquet, parquet(&batch(&header, &rows, &naive))),
        &from_csv,
    );
}

#[test]
fn a_missing_column_or_a_column_of_the_wrong_type_is_refused() {
    let people: ArrayRef = Arc::new(StringArray::from(vec!["p1"]));
    let only = RecordBatch::try_from_iter([("person", people)]).unwrap();
    let error = compute_columnar(
        Kind::Parquet,
        Columnar::Bytes(parquet(&only)),
        &Options::default(),
        &mut Verbatim,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(error.is_usage());
    assert!(error.to_string().contains("company"), "{error}");

    let text = |v: &str| -> ArrayRef { Arc::new(StringArray::from(vec![v])) };
    let numbers: ArrayRef = Arc::new(Int64Array::from(vec![1]));
    let wrong = RecordBatch::try_from_iter([
        ("person", numbers),
        ("company", text("c")),
        ("site", text("s")),
        ("timestamp", text("2026-03-02T07:00:00")),
        ("direction", text("IN")),
    ])
    .unwrap();
    let error = compute_columnar(
        Kind::Parquet,
        Columnar::Bytes(parquet(&wrong)),
        &Options::default(),
        &mut Verbatim,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(error.is_usage());
    assert!(
        error.to_string().contains("column person is Int64"),
        "{error}"
    );
}
