//! `compute` reads Parquet and Arrow IPC event files, recognised by their
//! content, and gives the CSV result on the same rows.

use std::process::{Command, Stdio};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_loggningsindex")
}

/// A fresh temporary directory, removed when the guard drops.
fn dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("loggningsindex-columnar-{name}-"))
        .tempdir()
        .unwrap()
}

/// The CSV's rows as one batch of text columns (rows of another width left out of both).
fn to_batch(csv_path: &std::path::Path) -> (RecordBatch, String) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(csv_path)
        .unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| r.len() == header.len())
        .collect();
    let mut same = csv::Writer::from_writer(Vec::new());
    same.write_record(&header).unwrap();
    for r in &rows {
        same.write_record(r).unwrap();
    }
    let columns: Vec<(String, ArrayRef)> = header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<&str> = rows.iter().map(|r| &r[i]).collect();
            (
                name.clone(),
                Arc::new(StringArray::from(values)) as ArrayRef,
            )
        })
        .collect();
    (
        RecordBatch::try_from_iter(columns).unwrap(),
        String::from_utf8(same.into_inner().unwrap()).unwrap(),
    )
}

fn compute(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut child = Command::new(bin())
        .arg("compute")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        std::io::Write::write_all(&mut { input }, bytes).unwrap();
    } else {
        drop(input);
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn compute_gives_the_csv_result_from_parquet_and_arrow_files_whatever_their_name() {
    let scratch = dir("same");
    let dir = scratch.path();
    let generated = dir.join("generated.csv");
    let status = Command::new(bin())
        .args([
            "generate",
            "--events",
            "20000",
            "--bad-rows",
            "15",
            "--seed",
            "4",
            "-o",
        ])
        .arg(&generated)
        .status()
        .unwrap();
    assert!(status.success());
    let (batch, csv_text) = to_batch(&generated);
    let csv_path = dir.join("events.csv");
    std::fs::write(&csv_path, &csv_text).unwrap();
    // A Parquet file named .dat: the content decides.
    let parquet_path = dir.join("events.dat");
    let mut writer = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&parquet_path).unwrap(),
        batch.schema(),
        None,
    )
    .unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let arrow_path = dir.join("events.arrow");
    let mut writer = arrow_ipc::writer::FileWriter::try_new(
        std::fs::File::create(&arrow_path).unwrap(),
        &batch.schema(),
    )
    .unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();

    let rejects = |path: &std::path::Path| -> Vec<(u64, String)> {
        let out = dir.join("rejects.csv");
        let (code, _, _) = compute(
            &[
                path.to_str().unwrap(),
                "--rejects",
                out.to_str().unwrap(),
                "-o",
                "/dev/null",
            ],
            None,
        );
        assert_eq!(code, 0);
        csv::Reader::from_path(&out)
            .unwrap()
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].parse().unwrap(), r[1].to_string())
            })
            .collect()
    };
    let (code, expected, _) = compute(&[csv_path.to_str().unwrap()], None);
    assert_eq!(code, 0);
    // CSV line 2 is row 1.
    let expected_rejects: Vec<(u64, String)> = rejects(&csv_path)
        .into_iter()
        .map(|(line, why)| (line - 1, why))
        .collect();
    assert!(expected_rejects.len() >= 10, "{expected_rejects:?}");
    for path in [&parquet_path, &arrow_path] {
        let (code, got, errors) = compute(&[path.to_str().unwrap()], None);
        assert_eq!(
            (code, got.as_str()),
            (0, expected.as_str()),
            "{}: {errors}",
            path.display()
        );
        assert_eq!(rejects(path), expected_rejects, "{}", path.display());
    }
    let parquet_bytes = std::fs::read(&parquet_path).unwrap();
    let (code, got, _) = compute(&["-"], Some(&parquet_bytes));
    assert_eq!((code, got), (0, expected));
}

#[test]
fn a_parquet_file_without_the_required_columns_is_a_usage_error() {
    let scratch = dir("missing");
    let dir = scratch.path();
    let path = dir.join("people.parquet");
    let people: ArrayRef = Arc::new(StringArray::from(vec!["p1"]));
    let batch = RecordBatch::try_from_iter([("person", people)]).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        batch.schema(),
        None,
    )
    .unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let (code, _, errors) = compute(&[path.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert!(errors.contains("company"), "{errors}");
}
