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

/// Runs the `loggningsindex` binary with `args` and returns (status, stdout, stderr).
fn run_cli(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_loggningsindex"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    )
}

#[test]
fn generate_writes_exactly_n_events_deterministically() {
    let (code, first, _) = run_cli(&["generate", "--events", "2000", "--seed", "3"]);
    assert_eq!(code, 0);
    assert_eq!(first.lines().count(), 2001);
    assert_eq!(
        first.lines().next(),
        Some("person,company,site,timestamp,direction,card")
    );
    let (_, second, _) = run_cli(&["generate", "--events", "2000", "--seed", "3"]);
    assert_eq!(first, second);
    let (_, other, _) = run_cli(&["generate", "--events", "2000", "--seed", "4"]);
    assert_ne!(first, other);
}

#[test]
fn generate_shuffled_and_bad_rows() {
    let (_, sorted, _) = run_cli(&["generate", "--events", "500"]);
    let (code, shuffled, _) = run_cli(&[
        "generate",
        "--events",
        "500",
        "--shuffled",
        "--bad-rows",
        "9",
    ]);
    assert_eq!(code, 0);
    assert_eq!(shuffled.lines().count(), 501 + 9);
    let good: std::collections::HashSet<&str> = sorted.lines().collect();
    let mut a: Vec<&str> = sorted.lines().collect();
    let mut b: Vec<&str> = shuffled.lines().filter(|l| good.contains(l)).collect();
    assert!(a != b, "shuffled differs from sorted");
    a.sort_unstable();
    b.sort_unstable();
    assert!(a == b, "the same good rows: {} and {}", a.len(), b.len());
}

#[test]
fn generate_refuses_bad_arguments_with_status_2() {
    let (code, _, err) = run_cli(&["generate", "--from", "2026-13-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    let (code, _, _) = run_cli(&["generate", "--sorted", "--shuffled"]);
    assert_eq!(code, 2);
}
