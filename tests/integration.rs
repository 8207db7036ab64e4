//! Integration tests of the `loggningsindex` binary and its examples.

use std::path::PathBuf;
use std::process::Command;

/// The directory cargo puts this test's sibling binaries and examples in.
fn target_dir() -> PathBuf {
    let mut dir = std::env::current_exe().expect("test binary path");
    dir.pop(); // the test binary
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir
}

/// Runs a compiled example (cargo builds examples for `cargo test`) and returns
/// its standard output.
fn run_example(name: &str) -> String {
    let path = target_dir().join("examples").join(name);
    let output = Command::new(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
    assert!(output.status.success(), "example {name} failed: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn example_site_index_prints_each_company() {
    let out = run_example("site_index");
    // Anna's and Bo's company: 2 correct of 3 shifts; Cem's night shift is correct.
    assert!(
        out.contains("556677-8899   66.7  (3 shifts, 2 individuals)"),
        "{out}"
    );
    assert!(
        out.contains("559900-1122  100.0  (1 shifts, 1 individuals)"),
        "{out}"
    );
    // The UTC night shift belongs to Monday in Stockholm.
    assert!(
        out.contains("559900-1122  BPL-1  2026-03-02  correct"),
        "{out}"
    );
}
