//! The conformance vectors: frozen files equal what the reference generates,
//! the project's own `compute` passes them all, and a wrong implementation
//! fails with a diff.

use std::path::Path;
use std::process::Command;

fn vectors_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/conformance"))
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_loggningsindex")
}

/// The frozen vectors are exactly what the reference generates from the
/// specs (`UPDATE_CONFORMANCE=1 cargo test --test conformance` rewrites
/// them after a reviewed change).
#[test]
fn frozen_vectors_equal_the_reference() {
    if std::env::var_os("UPDATE_CONFORMANCE").is_some() {
        let _ = std::fs::remove_dir_all(vectors_dir());
        loggningsindex_conformance::write_vectors(vectors_dir()).unwrap();
    }
    let scratch = tempfile::tempdir().unwrap();
    let fresh = scratch.path().join("vectors");
    let n = loggningsindex_conformance::write_vectors(&fresh).unwrap();
    let frozen = loggningsindex_conformance::load_vectors(vectors_dir()).unwrap();
    assert_eq!(
        frozen.len(),
        n,
        "vectors added or removed without regenerating"
    );
    assert!(n >= 100);
    for v in &frozen {
        for file in ["events.csv", "expected.json", "shifts.csv", "about.txt"] {
            let want = std::fs::read(fresh.join(&v.name).join(file)).unwrap();
            let have = std::fs::read(v.dir.join(file)).unwrap();
            assert!(want == have, "{}/{file} differs from the reference", v.name);
        }
    }
}

#[test]
fn compute_passes_every_vector() {
    let output = Command::new(bin())
        .args(["conformance", "run", "--dir"])
        .arg(vectors_dir())
        .args([
            "--cmd",
            &format!("'{}' compute {{input}} --max-rejects 1000", bin()),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    let last = stdout.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{stdout}");
}

/// The runner catches a deliberately wrong implementation: one that counts
/// an automatic check-out as a real one (the hole RULES §7 closes), simulated
/// by deleting the origin column before computing.
#[test]
fn a_wrong_implementation_fails_with_a_diff() {
    let wrong = format!(
        "sed 's/,auto$/,card/; s/,AUTO$/,card/' {{input}} > \"$TMPDIR/wrong-$$.csv\" && '{}' compute \"$TMPDIR/wrong-$$.csv\" --max-rejects 1000",
        bin()
    );
    // The wrong implementation's copies go in a directory removed afterwards.
    let scratch = tempfile::tempdir().unwrap();
    let output = Command::new(bin())
        .env("TMPDIR", scratch.path())
        .args(["conformance", "run", "--dir"])
        .arg(vectors_dir())
        .args(["--cmd", &wrong])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL ") && stdout.contains("origin-auto-out"),
        "{stdout}"
    );
    assert!(
        stdout.contains("totals.correct: expected 0, got 1"),
        "{stdout}"
    );
    let last = stdout.lines().last().unwrap();
    assert!(!last.ends_with(" 0 failed"), "{last}");
    // And a command that is not a result at all.
    let output = Command::new(bin())
        .args(["conformance", "run", "--dir"])
        .arg(vectors_dir())
        .args(["--cmd", "echo nonsense {input}"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("not JSON")
    );
}
