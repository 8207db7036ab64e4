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
    if !path.exists() {
        // `cargo test --workspace` builds the examples; a narrower run may not.
        let built = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", name])
            .status()
            .expect("cargo runs");
        assert!(built.success(), "cannot build example {name}");
    }
    let output = Command::new(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
    assert!(output.status.success(), "example {name} failed: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn example_pipeline_prints_pseudonymous_companies() {
    let out = run_example("pipeline");
    assert!(out.contains("distinct identifiers pseudonymised"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("| 1 | c_")), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("| 5 | c_"))
            && !out.lines().any(|l| l.starts_with("| 6 |")),
        "{out}"
    );
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
        Some("person,company,site,timestamp,direction,card,origin")
    );
    let (_, second, _) = run_cli(&["generate", "--events", "2000", "--seed", "3"]);
    assert_eq!(first, second);
    let (_, other, _) = run_cli(&["generate", "--events", "2000", "--seed", "4"]);
    assert_ne!(first, other);
}

/// Regression: `--events 1000` once wrote 914 events (a three-person
/// population fell short of its forecast).
#[test]
fn generate_small_counts_are_exact() {
    for n in [1usize, 10, 1000] {
        let (code, out, err) = run_cli(&["generate", "--events", &n.to_string()]);
        assert_eq!(code, 0);
        assert_eq!(out.lines().count(), n + 1, "{err}");
        assert!(err.is_empty(), "{err}");
    }
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

// ---- compute and merge ------------------------------------------------------

/// An empty directory in the system's temporary directory, removed (with
/// what the test wrote into it) when dropped.
struct TestDir(tempfile::TempDir);

impl std::ops::Deref for TestDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        self.0.path()
    }
}

impl AsRef<std::ffi::OsStr> for TestDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.path().as_os_str()
    }
}

fn fresh_dir(name: &str) -> TestDir {
    TestDir(
        tempfile::Builder::new()
            .prefix(&format!("loggningsindex-{name}-"))
            .tempdir()
            .expect("temp dir"),
    )
}

/// A file in the system's temporary directory, removed when dropped.
fn temp_file(name: &str, contents: &str) -> tempfile::TempPath {
    let mut file = tempfile::Builder::new()
        .prefix("loggningsindex-")
        .suffix(&format!("-{name}"))
        .tempfile()
        .expect("temp file");
    std::io::Write::write_all(&mut file, contents.as_bytes()).expect("temp file");
    file.into_temp_path()
}

/// Every worked example of RULES.md §6, one person each.
const WORKED_EXAMPLES: &str = include_str!("../crates/report/tests/data/worked-examples.csv");

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

#[test]
fn compute_json_on_the_worked_examples() {
    let path = temp_file("worked.csv", WORKED_EXAMPLES);
    let (code, out, err) = run_cli(&["compute", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(
        v["records"],
        json(r#"{"read": 51, "accepted": 51, "rejected": 0}"#)
    );
    assert_eq!(
        v["totals"],
        json(
            r#"{"individuals": 20, "shifts": 27, "correct": 15, "missing_in": 3,
                 "missing_out": 8, "missing_both": 1, "index": 55.6, "auto_events": 0}"#
        )
    );
    let companies = v["companies"].as_array().unwrap();
    assert_eq!(companies.len(), 2);
    assert_eq!(companies[0]["company"], "556677-8899");
    assert_eq!(companies[0]["shifts"], 26);
    assert_eq!(companies[0]["index"], 53.8);
    assert_eq!(companies[0]["individuals"], 20);
    let sites = companies[0]["sites"].as_array().unwrap();
    assert_eq!(sites[0]["site"], "BPL-1");
    assert_eq!(sites[0]["index"], 56.0);
    assert_eq!(
        sites[1],
        json(
            r#"{"site": "BPL-2", "individuals": 1, "shifts": 1, "correct": 0, "missing_in": 0,
                 "missing_out": 1, "missing_both": 0, "index": 0.0, "auto_events": 0}"#
        )
    );
    assert_eq!(companies[0]["months"][0]["month"], "2026-03");
    assert_eq!(
        companies[1],
        json(
            r#"{"company": "559900-1122", "individuals": 1, "shifts": 1, "correct": 1,
                 "missing_in": 0, "missing_out": 0, "missing_both": 0, "index": 100.0, "auto_events": 0,
                 "sites": [{"site": "BPL-1", "individuals": 1, "shifts": 1, "correct": 1,
                            "missing_in": 0, "missing_out": 0, "missing_both": 0, "index": 100.0,
                            "auto_events": 0}],
                 "months": [{"month": "2026-03", "individuals": 1, "shifts": 1, "correct": 1,
                             "missing_in": 0, "missing_out": 0, "missing_both": 0, "index": 100.0,
                             "auto_events": 0}]}"#
        )
    );
    // The key order of FORMATS.md is kept.
    let order: Vec<usize> = [
        "\"schema_version\"",
        "\"records\"",
        "\"totals\"",
        "\"companies\"",
    ]
    .iter()
    .map(|k| out.find(k).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]));

    // Every engine, thread count and input order gives the same bytes.
    let mut lines: Vec<&str> = WORKED_EXAMPLES.lines().collect();
    lines[1..].reverse();
    let reversed = temp_file("worked-reversed.csv", &(lines.join("\n") + "\n"));
    for args in [
        vec!["compute", reversed.to_str().unwrap()],
        vec!["compute", path.to_str().unwrap(), "--threads", "1"],
        vec!["compute", path.to_str().unwrap(), "--threads", "7"],
    ] {
        assert_eq!(run_cli(&args).1, out, "{args:?}");
    }
}

#[test]
fn compute_streaming_needs_time_order_and_says_what_was_late() {
    let mut sorted: Vec<&str> = WORKED_EXAMPLES.lines().skip(1).collect();
    sorted.sort_by_key(|l| {
        let t = l.split(',').nth(3).unwrap();
        // Compare as instants: all but one example are at +01:00.
        t.replace("08:30:00+02:00", "07:30:00+01:00")
    });
    let text = format!(
        "person,company,site,timestamp,direction\n{}\n",
        sorted.join("\n")
    );
    let path = temp_file("worked-sorted.csv", &text);
    let (_, whole, _) = run_cli(&[
        "compute",
        temp_file("w.csv", WORKED_EXAMPLES).to_str().unwrap(),
    ]);
    let (code, streamed, _) = run_cli(&["compute", path.to_str().unwrap(), "--sorted"]);
    assert_eq!(code, 0);
    assert_eq!(streamed, whole);

    // Unsorted input: the late events are rejected, not dropped — and since
    // most rows are, there is no result but advice (newcomer review 12.3).
    let unsorted = temp_file("worked-unsorted.csv", WORKED_EXAMPLES);
    let (code, out, err) = run_cli(&["compute", unsorted.to_str().unwrap(), "--sorted"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("not in time order") && err.contains("Run without --sorted"),
        "{err}"
    );
    let (code, out, err) = run_cli(&[
        "compute",
        unsorted.to_str().unwrap(),
        "--sorted",
        "--max-rejects",
        "1000",
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert!(v["records"]["rejected"].as_u64().unwrap() > 0);
    assert_eq!(
        v["records"]["read"].as_u64(),
        Some(
            v["records"]["accepted"].as_u64().unwrap() + v["records"]["rejected"].as_u64().unwrap()
        )
    );
    assert!(err.contains("later than the reorder window"), "{err}");
}

#[test]
fn compute_usage_errors_exit_2() {
    let path = temp_file(
        "nocols.csv",
        "person,company,when\np,c,2026-03-02T07:00:00Z\n",
    );
    let (code, out, err) = run_cli(&["compute", path.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("site, timestamp, direction"), "{err}");
    let empty = temp_file("empty.csv", "");
    assert_eq!(run_cli(&["compute", empty.to_str().unwrap()]).0, 2);
    let good = temp_file("good.csv", WORKED_EXAMPLES);
    assert_eq!(
        run_cli(&["compute", good.to_str().unwrap(), "--timezone", "Mars/Base"]).0,
        2
    );
    assert_eq!(
        run_cli(&["compute", good.to_str().unwrap(), "--partition", "3/3"]).0,
        2
    );
    assert_eq!(run_cli(&["compute", "/nonexistent/file.csv"]).0, 1);
}

#[test]
fn compute_rejects_file_summary_and_max_rejects() {
    let text = format!(
        "{WORKED_EXAMPLES}19850312-2384,556677-8899,BPL-1,2026-03-02T07:01+01:00,IN\np99,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,SIDEWAYS\n"
    );
    let path = temp_file("bad.csv", &text);
    let dir = fresh_dir("rejects");
    let rejects = dir.join("rejects.csv");
    let (code, out, err) = run_cli(&[
        "compute",
        path.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        json(&out)["records"],
        json(r#"{"read": 53, "accepted": 51, "rejected": 2}"#)
    );
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(
        written,
        "line,reason\n53,bad timestamp: seconds missing\n54,\"unknown direction (expected IN, OUT or UT)\"\n"
    );
    assert!(
        err.contains("rejected 1 × bad timestamp: seconds missing"),
        "{err}"
    );
    // No identity number in any message.
    assert!(!err.contains("19850312") && !written.contains("19850312"));

    let (code, out, err) = run_cli(&["compute", path.to_str().unwrap(), "--max-rejects", "1"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("more than --max-rejects 1"), "{err}");
    assert_eq!(
        run_cli(&["compute", path.to_str().unwrap(), "--max-rejects", "2"]).0,
        0
    );
}

#[test]
fn compute_reads_standard_input_and_other_formats() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_loggningsindex"))
        .args(["compute", "-", "--format", "csv"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(WORKED_EXAMPLES.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "kind,company,site,month,individuals,shifts,correct,missing_in,missing_out,missing_both,index,auto_events"
        )
    );
    assert_eq!(lines.next(), Some("total,,,,20,27,15,3,8,1,55.6,0"));
    assert_eq!(
        lines.next(),
        Some("company,556677-8899,,,20,26,14,3,8,1,53.8,0")
    );

    let path = temp_file("table.csv", WORKED_EXAMPLES);
    let (_, table, _) = run_cli(&["compute", path.to_str().unwrap(), "--format", "table"]);
    let rows: Vec<&str> = table.lines().collect();
    assert!(
        rows[2].starts_with("| 1 | 556677-8899 | 53.8 |"),
        "worst first: {table}"
    );
    assert!(
        rows[3].starts_with("| 2 | 559900-1122 | 100.0 |"),
        "{table}"
    );
}

#[test]
fn merge_of_partials_equals_the_whole() {
    let path = temp_file("partials.csv", WORKED_EXAMPLES);
    let (_, whole, _) = run_cli(&["compute", path.to_str().unwrap()]);
    let mut files = Vec::new();
    for i in 0..3 {
        let partition = format!("{i}/3");
        let (code, partial, _) =
            run_cli(&["compute", path.to_str().unwrap(), "--partition", &partition]);
        assert_eq!(code, 0);
        files.push(temp_file(&format!("part{i}.json"), &partial));
    }
    let mut args = vec!["merge"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let (code, merged, err) = run_cli(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(merged, whole);
    // A missing partition is refused.
    let (code, _, err) = run_cli(&[
        "merge",
        files[0].to_str().unwrap(),
        files[2].to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("partition 1/3 missing"), "{err}");
}

// ---- keygen, pseudonymize, compute --key-file ----------------------------------

#[test]
fn no_identity_number_in_any_output_of_the_pseudonymised_pipeline() {
    let dir = fresh_dir("privacy");
    let key = dir.join("key");
    let (code, _, err) = run_cli(&["keygen", key.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        run_cli(&["keygen", key.to_str().unwrap()]).0,
        1,
        "never overwrites a key"
    );

    let (_, raw, _) = run_cli(&[
        "generate",
        "--events",
        "3000",
        "--bad-rows",
        "18",
        "--seed",
        "5",
    ]);
    let events = dir.join("events.csv");
    std::fs::write(&events, &raw).unwrap();
    let rejects = dir.join("rejects.csv");
    let (code, pseudo, pseudo_err) = run_cli(&[
        "pseudonymize",
        events.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
        "--reference-date",
        "2026-11-28",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{pseudo_err}");
    let (code, result, compute_err) = run_cli(&[
        "compute",
        events.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
        "--reference-date",
        "2026-11-28",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{compute_err}");
    let rejects_text = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rejects_text.contains("invalid person: bad check digit"),
        "{rejects_text}"
    );
    let outputs = [
        pseudo.as_str(),
        &pseudo_err,
        &result,
        &compute_err,
        &rejects_text,
    ];

    // Every identifier of the input, in every spelling, is absent.
    let mut ids = std::collections::BTreeSet::new();
    for line in raw.lines().skip(1) {
        for field in line.split(',').take(3) {
            let digits: String = field.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 10 {
                ids.insert(field.to_string());
                ids.insert(digits.clone());
                ids.insert(digits[digits.len() - 10..].to_string());
            }
        }
    }
    assert!(ids.len() > 20);
    for id in &ids {
        for output in outputs {
            assert!(!output.contains(id.as_str()), "an identity number leaked");
        }
    }
    // The pseudonymised file computes to the same result as pseudonymising on the fly.
    let pseudo_file = dir.join("pseudo.csv");
    std::fs::write(&pseudo_file, &pseudo).unwrap();
    let (_, again, _) = run_cli(&["compute", pseudo_file.to_str().unwrap(), "--format", "csv"]);
    let body = |csv: &str| csv.lines().skip(1).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(body(&again)[1..], body(&result)[1..], "company rows agree");
}

// ---- demo and report -----------------------------------------------------------

#[test]
fn demo_prints_a_ranking_and_writes_the_html_report() {
    let dir = fresh_dir("demo");
    let html = dir.join("demo.html");
    let (code, out, err) = run_cli(&["demo", "--html", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("The 15 companies with the lowest index"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("| 15 |"))
            && !out.lines().any(|l| l.starts_with("| 16 |")),
        "{out}"
    );
    assert!(
        out.contains(html.file_name().unwrap().to_str().unwrap()),
        "says where: {out}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("id=\"overview\"") && page.contains("id=\"company-299\""));
    std::fs::remove_file(&html).unwrap();
}

#[test]
fn report_of_one_company_under_its_real_number_with_the_key() {
    let dir = fresh_dir("report");
    let key = dir.join("key");
    run_cli(&["keygen", key.to_str().unwrap()]);
    let events = temp_file("report-events.csv", WORKED_EXAMPLES);
    let (code, json_out, err) = run_cli(&[
        "compute",
        events.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // 556677-8899 is a valid organisationsnummer; 559900-1122 has a wrong
    // check digit, so its rows were rejected when pseudonymising.
    assert!(
        !json_out.contains("556677") && json_out.contains("\"rejected\": 2"),
        "{json_out}"
    );
    let result = dir.join("result.json");
    std::fs::write(&result, &json_out).unwrap();
    let (code, _, _) = run_cli(&[
        "report",
        result.to_str().unwrap(),
        "--company",
        "559900-1122",
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "an invalid organisationsnummer is refused");
    let html = dir.join("company.html");
    let (code, _, err) = run_cli(&[
        "report",
        result.to_str().unwrap(),
        "--company",
        "5566778899",
        "--key-file",
        key.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("556677-8899") && page.contains("Index 53.8"),
        "under its real number"
    );
    assert!(!page.contains("c_"), "no company's pseudonym");
    let (_, markdown, _) = run_cli(&["report", result.to_str().unwrap(), "--format", "markdown"]);
    assert!(markdown.contains("| 1 | c_"), "{markdown}");
}

// ---- cards and ledger --------------------------------------------------------------

const CARDS: &str = "card,holder,company,valid_from,valid_to,blocked_at,block_reason\n\
AB-0000000001,p01,556677-8899,2026-01-01,2026-03-31,,\n\
AB-0000000002,p02,556677-8899,2025-06-01,2026-02-28,2026-02-01T10:00:00+01:00,lost\n\
CD-0000000003,p17,559900-1122,2026-01-01,2027-12-31,,\n";

#[test]
fn cards_expiring_fee_basis_and_check() {
    let cards = temp_file("cards.csv", CARDS);
    let (code, out, err) = run_cli(&[
        "cards",
        "expiring",
        cards.to_str().unwrap(),
        "--within",
        "60d",
        "--at",
        "2026-02-01",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "company,card,valid_to\n556677-8899,AB-0000000001,2026-03-31\n"
    );
    let (_, out, _) = run_cli(&[
        "cards",
        "fee-basis",
        cards.to_str().unwrap(),
        "--year",
        "2026",
        "--fee",
        "100",
    ]);
    assert_eq!(
        out,
        "company,cards,fee\n556677-8899,2,200.00\n559900-1122,1,100.00\n"
    );
    let (_, out, _) = run_cli(&[
        "cards",
        "fee-basis",
        cards.to_str().unwrap(),
        "--year",
        "2027",
    ]);
    assert_eq!(out, "company,cards\n559900-1122,1\n");

    let events = temp_file(
        "card-events.csv",
        "person,company,site,timestamp,direction,card\n\
         p01,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN,AB-0000000001\n\
         p02,556677-8899,BPL-1,2026-02-02T07:00:00+01:00,IN,AB-0000000002\n\
         p01,556677-8899,BPL-1,2026-04-01T07:00:00+02:00,IN,AB-0000000001\n",
    );
    let (code, out, err) = run_cli(&[
        "cards",
        "check",
        cards.to_str().unwrap(),
        events.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "company,with_card,without_card,invalid_card\n556677-8899,3,0,2\n"
    );
    assert!(
        err.contains("line 3: card AB-0000000002: blocked (lost)"),
        "{err}"
    );
    assert!(
        err.contains("line 4: card AB-0000000001: expired after 2026-03-31"),
        "{err}"
    );
}

#[test]
fn ledger_import_correct_verify_present_day() {
    let dir = fresh_dir("cli-ledger");
    let ledger = dir.join("register.ledger");
    let events = temp_file("ledger-events.csv", WORKED_EXAMPLES);
    let (code, _, err) = run_cli(&[
        "ledger",
        "import",
        events.to_str().unwrap(),
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run_cli(&["ledger", "verify", ledger.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.starts_with("ok: 51 entries, head "), "{out}");

    // p03 forgot to check out: one registration, missing OUT.
    let (_, day_before, _) = run_cli(&[
        "ledger",
        "day",
        ledger.to_str().unwrap(),
        "--site",
        "BPL-1",
        "--date",
        "2026-03-02",
    ]);
    assert!(
        day_before.contains(
            "p03,556677-8899,2026-03-02 07:00:00+01:00,2026-03-02 07:00:00+01:00,missing_out,1,"
        ),
        "{day_before}"
    );
    // p05's swapped taps (entries 9 and 10) were really IN and OUT: corrected, marked.
    for (entry, direction) in [("9", "IN"), ("10", "OUT")] {
        let at = if entry == "9" {
            "2026-03-02T07:00:00+01:00"
        } else {
            "2026-03-02T15:00:00+01:00"
        };
        let (code, _, err) = run_cli(&[
            "ledger",
            "correct",
            ledger.to_str().unwrap(),
            "--entry",
            entry,
            "--reason",
            "swapped by the reader",
            "--at",
            at,
            "--direction",
            direction,
        ]);
        assert_eq!(code, 0, "{err}");
    }
    let (_, day, _) = run_cli(&[
        "ledger",
        "day",
        ledger.to_str().unwrap(),
        "--site",
        "BPL-1",
        "--date",
        "2026-03-02",
    ]);
    assert!(day.contains("p05,556677-8899,2026-03-02 07:00:00+01:00,2026-03-02 15:00:00+01:00,correct,2,corrected"), "{day}");
    let (_, here, _) = run_cli(&[
        "ledger",
        "present",
        ledger.to_str().unwrap(),
        "--site",
        "BPL-1",
        "--at",
        "2026-03-02T12:00:00+01:00",
    ]);
    assert!(here.contains("p01,") && !here.contains("p04,"), "{here}");

    // Any edit is caught and named.
    let text = std::fs::read_to_string(&ledger)
        .unwrap()
        .replacen("p02", "p99", 1);
    std::fs::write(&ledger, text).unwrap();
    let (code, _, err) = run_cli(&["ledger", "verify", ledger.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("ledger broken at entry 3"), "{err}");
}

#[test]
fn card_compliance_is_shown_next_to_the_index_not_in_it() {
    let dir = fresh_dir("compliance");
    let cards = temp_file("compliance-cards.csv", CARDS);
    let events = temp_file(
        "compliance-events.csv",
        "person,company,site,timestamp,direction,card\n\
         p01,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN,AB-0000000001\n\
         p01,556677-8899,BPL-1,2026-03-02T16:00:00+01:00,OUT,AB-0000000001\n\
         p02,556677-8899,BPL-1,2026-02-02T07:00:00+01:00,IN,AB-0000000002\n\
         p02,556677-8899,BPL-1,2026-02-02T16:00:00+01:00,OUT,AB-0000000002\n",
    );
    let (_, check, _) = run_cli(&[
        "cards",
        "check",
        cards.to_str().unwrap(),
        events.to_str().unwrap(),
    ]);
    let check_file = dir.join("check.csv");
    std::fs::write(&check_file, &check).unwrap();
    let (_, result, _) = run_cli(&["compute", events.to_str().unwrap()]);
    let result_file = dir.join("result.json");
    std::fs::write(&result_file, &result).unwrap();
    let (code, html, err) = run_cli(&[
        "report",
        result_file.to_str().unwrap(),
        "--compliance",
        check_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        html.contains("<th>invalid cards</th>") && html.contains("<td>2 of 4</td>"),
        "{html}"
    );
    assert!(html.contains("Card compliance (not part of the index): 2 of 4"));
    // The index is unchanged by the blocked card: both shifts are correct.
    assert!(html.contains("<b>Index 100.0</b>"));
    let (_, json_out, _) = run_cli(&[
        "report",
        result_file.to_str().unwrap(),
        "--format",
        "json",
        "--compliance",
        check_file.to_str().unwrap(),
    ]);
    assert_eq!(json(&json_out)["companies"][0]["cards"]["invalid_card"], 2);
}

// ---- review findings (issue 11) ------------------------------------------------

/// Review finding 11.8: arithmetic on input panicked or wrapped.
#[test]
fn arithmetic_on_input_never_panics_or_wraps() {
    let cards = temp_file(
        "overflow-cards.csv",
        "card,holder,company,valid_from,valid_to\nAB-0000000001,p01,556677-8899,2026-01-01,2026-03-31\n",
    );
    let (code, _, err) = run_cli(&[
        "cards",
        "expiring",
        cards.to_str().unwrap(),
        "--within",
        "3000000d",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("0 to 36525 days"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let events = temp_file("overflow-events.csv", WORKED_EXAMPLES);
    let (code, _, err) = run_cli(&[
        "compute",
        events.to_str().unwrap(),
        "--sorted",
        "--reorder-window",
        "9999999999999h",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("too long"), "{err}");

    let (_, result, _) = run_cli(&["compute", events.to_str().unwrap()]);
    let mut value = json(&result);
    let big = serde_json::json!(u64::MAX - 1);
    for field in ["shifts", "correct", "missing_in"] {
        value["totals"][field] = big.clone();
        value["companies"][0][field] = big.clone();
        value["companies"][0]["sites"][0][field] = big.clone();
    }
    let huge = temp_file("overflow-result.json", &value.to_string());
    for format in ["csv", "markdown", "html", "json"] {
        let (code, _, err) = run_cli(&["report", huge.to_str().unwrap(), "--format", format]);
        assert_eq!(code, 2, "{format}: {err}");
        assert!(err.contains("not a valid result"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let not_json = temp_file("overflow-not-json.csv", "a,b\n1,2\n");
    let (code, _, err) = run_cli(&["report", not_json.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot parse"), "{err}");
}

/// Review finding 11.5: CSV cells were written as formulas, Markdown cells
/// could add table rows, and identifiers with control characters were read.
#[test]
fn outputs_cannot_be_injected_into() {
    let events = temp_file(
        "inject-events.csv",
        "person,company,site,timestamp,direction\n\
         p1,=HYPERLINK(\"http://x\"),+1+1,2026-03-02T07:00:00+01:00,IN\n\
         p1,=HYPERLINK(\"http://x\"),+1+1,2026-03-02T16:00:00+01:00,OUT\n\
         p2,-2+3,@SUM(A1),2026-03-02T07:00:00+01:00,IN\n\
         p2,a|b<i>,s,2026-03-02T07:00:00+01:00,IN\n\
         p3,\"c\nd\",s,2026-03-02T07:00:00+01:00,IN\n\
         p4,c\u{1}d,s,2026-03-02T07:00:00+01:00,IN\n",
    );
    let (code, out, err) = run_cli(&["compute", events.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a formula cell: {cell} in {out}"
            );
        }
    }
    assert!(out.contains("'=HYPERLINK"), "{out}");
    assert!(out.contains("'+1+1") && out.contains("'-2+3") && out.contains("'@SUM(A1)"));
    assert!(err.contains("control character in company"), "{err}");

    let (_, result, _) = run_cli(&["compute", events.to_str().unwrap()]);
    let mut value = json(&result);
    value["companies"][0]["company"] = serde_json::json!("x\n| 1 | fake | 100.0 |");
    let result = temp_file("inject-result.json", &value.to_string());
    let (code, md, err) = run_cli(&["report", result.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    let rows = md.lines().filter(|l| l.starts_with('|')).count();
    // Header, rule, one row per company, the totals row: nothing more.
    let companies = value["companies"].as_array().unwrap().len();
    assert_eq!(rows, companies + 3, "{md}");
    assert!(md.contains("a\\|b&lt;i&gt;"), "{md}");
    assert!(!md.contains("| 1 | fake"), "{md}");
}

/// Review finding 11.9: `ledger day` and `cards check` show identities; where
/// the output need not show them, `--key-file` shows pseudonyms instead.
#[test]
fn register_outputs_can_show_pseudonyms_instead_of_identities() {
    let dir = fresh_dir("cli-ledger-key");
    let ledger = dir.join("register.ledger");
    let key = dir.join("key");
    run_cli(&["keygen", key.to_str().unwrap()]);
    let events = temp_file("ledger-key-events.csv", WORKED_EXAMPLES);
    let (code, _, err) = run_cli(&[
        "ledger",
        "import",
        events.to_str().unwrap(),
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let day = |extra: &[&str]| {
        let mut args = vec![
            "ledger",
            "day",
            ledger.to_str().unwrap(),
            "--site",
            "BPL-1",
            "--date",
            "2026-03-02",
        ];
        args.extend_from_slice(extra);
        run_cli(&args)
    };
    let (_, plain, _) = day(&[]);
    let (code, keyed, err) = day(&["--key-file", key.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(plain.contains("p03,556677-8899"), "{plain}");
    assert!(
        !keyed.contains("p03") && !keyed.contains("556677-8899"),
        "{keyed}"
    );
    assert!(keyed.contains("p_") && keyed.contains("c_"), "{keyed}");
    assert_eq!(plain.lines().count(), keyed.lines().count());

    let cards = temp_file("key-cards.csv", CARDS);
    let with_cards = temp_file(
        "key-card-events.csv",
        "person,company,site,timestamp,direction,card\n\
         p02,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN,AB-0000000002\n",
    );
    let (code, out, err) = run_cli(&[
        "cards",
        "check",
        cards.to_str().unwrap(),
        with_cards.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("AB-0000000002") && err.contains("card k_"),
        "{err}"
    );
    assert!(!out.contains("556677-8899") && out.contains("c_"), "{out}");
}

// ---- a newcomer's first hour (issue 12) -----------------------------------------

/// 12.2: a Swedish Excel export (`;`) and a tab-separated file read like the
/// comma-separated one; UTF-16 and Latin-1 get a message naming the encoding.
#[test]
fn spreadsheet_exports_are_read_and_wrong_encodings_named() {
    let comma = temp_file("delim-comma.csv", WORKED_EXAMPLES);
    let (_, want, _) = run_cli(&["compute", comma.to_str().unwrap()]);
    for (name, delimiter) in [("semicolon", ";"), ("tab", "\t")] {
        let text = WORKED_EXAMPLES.replace(',', delimiter);
        let file = temp_file(&format!("delim-{name}.csv"), &text);
        let (code, got, err) = run_cli(&["compute", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(got, want, "{name}");
        let forced = if name == "tab" { "tab" } else { ";" };
        let (code, got, _) = run_cli(&["compute", file.to_str().unwrap(), "--delimiter", forced]);
        assert_eq!((code, got == want), (0, true), "{name} forced");
    }
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(WORKED_EXAMPLES.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let dir = fresh_dir("encodings");
    let path = dir.join("utf16.csv");
    std::fs::write(&path, utf16).unwrap();
    let (code, _, err) = run_cli(&["compute", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("UTF-16") && err.contains("save it as UTF-8"),
        "{err}"
    );
    let latin1 = b"person,company,site,timestamp,direction,f\xf6retag\n".to_vec();
    std::fs::write(&path, latin1).unwrap();
    let (code, _, err) = run_cli(&["compute", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("Latin-1"), "{err}");
}

/// 12.3: a shuffled register through the streaming engine is nearly all
/// rejects: no index of 0.0 with exit 0, but exit 1 and advice.
#[test]
fn a_result_of_mostly_rejects_is_refused_with_advice() {
    let dir = fresh_dir("mostly-rejects");
    let shuffled = dir.join("s.csv");
    let (code, _, _) = run_cli(&[
        "generate",
        "--events",
        "5000",
        "--shuffled",
        "-o",
        shuffled.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let (code, out, err) = run_cli(&["compute", shuffled.to_str().unwrap(), "--sorted"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("Run without --sorted"), "{err}");
    assert!(err.contains("no result"), "{err}");
    let (code, out, _) = run_cli(&["compute", shuffled.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["records"]["rejected"], 0);
}

/// 12.4: without a key, the spellings of one personnummer are one person and
/// those of one organisationsnummer one company.
#[test]
fn one_person_one_id_without_a_key() {
    let csv = "person,company,site,timestamp,direction\n\
               19811218-9876,556036-0793,BPL-1,2026-03-02T07:00:00+01:00,IN\n\
               198112189876,5560360793,BPL-1,2026-03-02T16:00:00+01:00,OUT\n\
               811218-9876,556036-0793,BPL-1,2026-03-03T07:00:00+01:00,IN\n\
               811218-9876,5560360793,BPL-1,2026-03-03T16:00:00+01:00,OUT\n\
               811218-9877,5560360793,BPL-1,2026-03-03T16:00:00+01:00,OUT\n";
    let file = temp_file("one-id.csv", csv);
    // People are sharded over the threads: every spelling of a person must
    // reach the same shard, or the shift spelled two ways would be split.
    for threads in ["1", "2", "7"] {
        let (code, out, err) = run_cli(&["compute", file.to_str().unwrap(), "--threads", threads]);
        assert_eq!(code, 0, "{err}");
        let v = json(&out);
        let companies = v["companies"].as_array().unwrap();
        assert_eq!(companies.len(), 1, "{out}");
        // Shown under a spelling the input used.
        assert_eq!(companies[0]["company"], "556036-0793");
        assert_eq!(
            companies[0]["individuals"], 2,
            "the valid person once, the invalid one apart"
        );
        assert_eq!(companies[0]["correct"], 2, "threads {threads}: {out}");
        assert!(
            err.contains("not valid") && err.contains("--key-file"),
            "{err}"
        );
    }
}

/// 12.7: worker threads are bounded; `-o` writes the result to a file.
#[test]
fn threads_are_bounded_and_results_go_to_a_file() {
    let file = temp_file("threads.csv", WORKED_EXAMPLES);
    let (code, _, err) = run_cli(&["compute", file.to_str().unwrap(), "--threads", "5000"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run_cli(&["compute", file.to_str().unwrap(), "--threads", "0"]);
    assert_eq!(code, 2);
    let dir = fresh_dir("dash-o");
    let out = dir.join("result.json");
    let (code, stdout, _) = run_cli(&[
        "compute",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    let (_, want, _) = run_cli(&["compute", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), want);
}

/// 12.5: one company's report shows its own totals; a sole trader is found
/// with the key; compliance shows in every format; `report -` reads stdin.
#[test]
fn report_of_one_company_compliance_everywhere_and_stdin() {
    let events = temp_file("r12-events.csv", WORKED_EXAMPLES);
    let (_, result, _) = run_cli(&["compute", events.to_str().unwrap()]);
    let result_file = temp_file("r12-result.json", &result);
    let (code, md, err) = run_cli(&[
        "report",
        result_file.to_str().unwrap(),
        "--format",
        "markdown",
        "--company",
        "5566778899",
    ]);
    assert_eq!(code, 0, "{err}");
    let company_row = md.lines().nth(2).unwrap();
    let totals_row = md.lines().last().unwrap();
    assert!(totals_row.contains("the company"), "{md}");
    let counts = |row: &str| {
        row.split('|')
            .skip(4)
            .take(5)
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(",")
    };
    assert_eq!(counts(company_row), counts(totals_row), "{md}");

    let check = temp_file(
        "r12-check.csv",
        "company,with_card,without_card,invalid_card\n556677-8899,10,2,3\n",
    );
    for (format, needle) in [("markdown", "| 10 | 3 |"), ("csv", ",10,2,3")] {
        let (code, out, err) = run_cli(&[
            "report",
            result_file.to_str().unwrap(),
            "--format",
            format,
            "--compliance",
            check.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(needle), "{format}: {out}");
    }

    let output = Command::new(env!("CARGO_BIN_EXE_loggningsindex"))
        .args(["report", "-", "--format", "json"])
        .stdin(std::fs::File::open(&result_file).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        json(&String::from_utf8(output.stdout).unwrap())["totals"],
        json(&result)["totals"]
    );

    // A sole trader's company id is a personnummer: found with the key.
    let dir = fresh_dir("r12-sole");
    let key = dir.join("key");
    run_cli(&["keygen", key.to_str().unwrap()]);
    let sole = temp_file(
        "r12-sole.csv",
        "person,company,site,timestamp,direction\n\
         19811218-9876,19811218-9876,BPL-1,2026-03-02T07:00:00+01:00,IN\n\
         19811218-9876,19811218-9876,BPL-1,2026-03-02T16:00:00+01:00,OUT\n",
    );
    let (_, keyed, _) = run_cli(&[
        "compute",
        sole.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    let keyed_file = dir.join("keyed.json");
    std::fs::write(&keyed_file, keyed).unwrap();
    let (code, out, err) = run_cli(&[
        "report",
        keyed_file.to_str().unwrap(),
        "--format",
        "markdown",
        "--company",
        "811218-9876",
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("19811218-9876") && out.contains("100.0"),
        "{out}"
    );
}

/// 12.7: usage errors exit 2 everywhere, and an error is printed once.
#[test]
fn usage_errors_exit_2_everywhere() {
    let no_columns = temp_file("u-no-columns.csv", "a,b\n1,2\n");
    let cards = temp_file("u-cards.csv", CARDS);
    let events = temp_file("u-events.csv", WORKED_EXAMPLES);
    let dir = fresh_dir("u-ledger");
    let ledger = dir.join("l");
    run_cli(&[
        "ledger",
        "import",
        events.to_str().unwrap(),
        ledger.to_str().unwrap(),
    ]);
    let l = ledger.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "cards",
            "expiring",
            no_columns.to_str().unwrap(),
            "--within",
            "30d",
        ],
        vec![
            "cards",
            "fee-basis",
            no_columns.to_str().unwrap(),
            "--year",
            "2026",
        ],
        vec![
            "cards",
            "check",
            cards.to_str().unwrap(),
            no_columns.to_str().unwrap(),
        ],
        vec![
            "cards",
            "fee-basis",
            cards.to_str().unwrap(),
            "--year",
            "2026",
            "--fee",
            "NaN",
        ],
        vec![
            "cards",
            "fee-basis",
            cards.to_str().unwrap(),
            "--year",
            "2026",
            "--fee",
            "inf",
        ],
        vec!["ledger", "import", no_columns.to_str().unwrap(), l],
        vec!["generate", "--from", "2026-05-01", "--to", "2026-04-01"],
        vec!["ledger", "correct", l, "--entry", "1", "--reason", "x"],
        vec![
            "ledger",
            "correct",
            l,
            "--entry",
            "1",
            "--reason",
            "x",
            "--at",
            "garbage",
            "--direction",
            "IN",
        ],
        vec![
            "ledger",
            "correct",
            l,
            "--entry",
            "1",
            "--reason",
            "x",
            "--at",
            "2026-03-02T07:00:00+01:00",
            "--direction",
            "SIDEWAYS",
        ],
        vec![
            "ledger",
            "present",
            l,
            "--site",
            "BPL-1",
            "--at",
            "2026-03-02 17:00",
        ],
    ];
    for args in cases {
        let (code, _, err) = run_cli(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // The ledger is as it was: the refused corrections appended nothing.
    let (code, out, _) = run_cli(&["ledger", "verify", l]);
    assert_eq!(code, 0);
    assert!(out.starts_with("ok: 51 entries"), "{out}");
}

/// 12.9: a valid card used by someone else, or for another company, is
/// flagged; an event file without a card column is a clear error.
#[test]
fn cards_check_flags_borrowed_cards() {
    let cards = temp_file("b-cards.csv", CARDS);
    let events = temp_file(
        "b-events.csv",
        "person,company,site,timestamp,direction,card\n\
         p01,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN,AB-0000000001\n\
         p09,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN,AB-0000000001\n\
         p01,559900-1122,BPL-1,2026-03-02T07:00:00+01:00,IN,AB-0000000001\n",
    );
    let (code, out, err) = run_cli(&[
        "cards",
        "check",
        cards.to_str().unwrap(),
        events.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("line 3: card AB-0000000001: used by someone other than its holder"),
        "{err}"
    );
    assert!(
        err.contains("line 4: card AB-0000000001: used for a company other than its issuer"),
        "{err}"
    );
    assert!(!err.contains("line 2:"), "{err}");
    assert!(
        out.contains("556677-8899,2,0,1") && out.contains("559900-1122,1,0,1"),
        "{out}"
    );
    let no_card = temp_file("b-no-card.csv", WORKED_EXAMPLES);
    let (code, _, err) = run_cli(&[
        "cards",
        "check",
        cards.to_str().unwrap(),
        no_card.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no card column"), "{err}");
}

/// 12.6: the demo's header and its HTML report agree (one source of truth).
#[test]
fn the_demo_agrees_with_itself() {
    let dir = fresh_dir("demo-agrees");
    let html = dir.join("demo.html");
    let (code, out, err) = run_cli(&["demo", "--html", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let header = out.lines().next().unwrap();
    let number = |text: &str, label: &str| -> u64 {
        let before = text.split(label).next().unwrap();
        before
            .rsplit(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    let (people, sites) = (number(header, " people"), number(header, " sites"));
    let page = std::fs::read_to_string(&html).unwrap();
    let tile = |label: &str| -> u64 {
        let at = page
            .find(&format!(">{label}<b>"))
            .unwrap_or_else(|| panic!("no {label} tile"));
        let rest = &page[at + label.len() + 4..];
        rest[..rest.find('<').unwrap()].parse().unwrap()
    };
    assert_eq!(tile("individuals"), people, "{header}");
    assert_eq!(tile("sites"), sites, "{header}");
    let total = out.lines().last().unwrap_or_default();
    assert!(
        out.contains(&format!("| {people} |")),
        "the totals row counts {people}: {total}"
    );
}

/// 12.7: a write error is reported once, not once per layer.
#[cfg(target_os = "linux")]
#[test]
fn a_write_error_is_printed_once() {
    let events = temp_file("full.csv", WORKED_EXAMPLES);
    let (_, result, _) = run_cli(&["compute", events.to_str().unwrap()]);
    let result = temp_file("full.json", &result);
    let (code, _, err) = run_cli(&["report", result.to_str().unwrap(), "-o", "/dev/full"]);
    assert_eq!(code, 1);
    assert_eq!(err.matches("No space left on device").count(), 1, "{err}");
}

// ---- competence (issue 16) --------------------------------------------------------

const REQUIREMENTS: &str = "site,certificate,from,to,company\n\
BPL-1,ID06-ALLMAN-SAKERHET,,,\n\
BPL-2,HETA-ARBETEN,2026-03-01,2026-03-31,556677-8899\n";

#[test]
fn competence_check_expiring_and_report() {
    let dir = fresh_dir("competence");
    let events = temp_file("c-events.csv", WORKED_EXAMPLES);
    let reqs = temp_file("c-reqs.csv", REQUIREMENTS);
    // Half the people hold the safety certificate; p01's expires in March.
    let mut certs = String::from("person,certificate,valid_from,valid_to,issuer\n");
    for p in (1..=20).step_by(2) {
        certs.push_str(&format!("p{p:02},ID06-ALLMAN-SAKERHET,2025-01-01,,ID06\n"));
    }
    certs.push_str("p02,ID06-ALLMAN-SAKERHET,2025-01-01,2026-03-20,ID06\nbad,row\n");
    let certs = temp_file("c-certs.csv", &certs);
    let args = [
        reqs.to_str().unwrap(),
        certs.to_str().unwrap(),
        events.to_str().unwrap(),
    ];
    let list = dir.join("list.csv");
    let (code, out, err) = run_cli(
        &[
            &["competence", "check"][..],
            &args,
            &["--list", list.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("line 13: wrong field count"), "{err}");
    let v = json(&out);
    let c = &v["companies"][0];
    assert_eq!(c["company"], "556677-8899");
    assert!(c["shifts_without_required"].as_u64().unwrap() > 0);
    assert_eq!(c["shifts"], 26);
    assert!(c["missing"]["ID06-ALLMAN-SAKERHET"].as_u64().unwrap() > 0);
    // Small groups are folded as in reports: no site row of fewer than 3.
    for site in c["sites"].as_array().unwrap() {
        assert!(
            site["site"] == "(other)" || site["individuals"].as_u64().unwrap() >= 3,
            "{site}"
        );
    }
    let listed = std::fs::read_to_string(&list).unwrap();
    assert!(listed.starts_with("person,company,site,work_day,missing\n"));
    assert_eq!(
        listed.lines().count() as u64 - 1,
        c["shifts_without_required"].as_u64().unwrap()
            + v["companies"][1]["shifts_without_required"]
                .as_u64()
                .unwrap()
    );
    for format in ["table", "csv"] {
        let (code, out, _) =
            run_cli(&[&["competence", "check"][..], &args, &["--format", format]].concat());
        assert_eq!(code, 0);
        assert!(out.contains("556677-8899"), "{out}");
    }

    // With the key, ids agree with compute --key-file, and report shows the share.
    let key = dir.join("key");
    run_cli(&["keygen", key.to_str().unwrap()]);
    let keyed = [
        &["competence", "check"][..],
        &args,
        &["--key-file", key.to_str().unwrap()],
    ]
    .concat();
    let (code, check, err) = run_cli(&keyed);
    assert_eq!(code, 0, "{err}");
    assert!(!check.contains("556677"), "{check}");
    let check_file = dir.join("check.json");
    std::fs::write(&check_file, &check).unwrap();
    let (_, result, _) = run_cli(&[
        "compute",
        events.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
        "--max-rejects",
        "100",
    ]);
    let result_file = dir.join("result.json");
    std::fs::write(&result_file, &result).unwrap();
    let (code, md, err) = run_cli(&[
        "report",
        result_file.to_str().unwrap(),
        "--format",
        "markdown",
        "--competence",
        check_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("shifts with required certificates, %"), "{md}");
    let (_, html, _) = run_cli(&[
        "report",
        result_file.to_str().unwrap(),
        "--competence",
        check_file.to_str().unwrap(),
    ]);
    assert!(
        html.contains("Required competence (not part of the index)"),
        "the HTML shows it"
    );

    let (code, out, err) = run_cli(&[
        "competence",
        "expiring",
        certs.to_str().unwrap(),
        "--within",
        "30d",
        "--at",
        "2026-03-01",
        "--events",
        events.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "company,person,certificate,valid_to,issuer\n556677-8899,p02,ID06-ALLMAN-SAKERHET,2026-03-20,ID06\n"
    );
    let (code, _, _) = run_cli(&[
        "competence",
        "check",
        events.to_str().unwrap(),
        certs.to_str().unwrap(),
        events.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "an event file is not a requirements file");
}

// ---- staff notices (issue 17, part 1) ------------------------------------------

#[test]
fn notices_check_counts_unannounced_registrations_per_company_and_site() {
    let dir = fresh_dir("notices");
    let events = temp_file("n-events.csv", WORKED_EXAMPLES);
    // Everyone of 556677-8899 announced at BPL-1 for March 2 only, except p05;
    // p03 announced by the wrong company; one announced person never comes.
    let mut notices = String::from("site,company,person,card,from,to,name\n");
    for p in (1..=20).filter(|p| *p != 5 && *p != 3) {
        notices.push_str(&format!(
            "BPL-1,556677-8899,p{p:02},,2026-03-02,2026-03-02,Namn {p}\n"
        ));
    }
    notices.push_str("BPL-1,559900-1122,p03,,2026-03-01,2026-03-31,\n");
    notices.push_str("BPL-1,556677-8899,p99,,2026-03-01,2026-03-31,Aldrig Här\n");
    notices.push_str("BPL-1,556677-8899,p98,,2026-03-31,2026-03-01,\n");
    let notices = temp_file("n-notices.csv", &notices);
    let list = dir.join("unannounced.csv");
    let (code, out, err) = run_cli(&[
        "notices",
        "check",
        notices.to_str().unwrap(),
        events.to_str().unwrap(),
        "--list",
        list.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("line 22: bad to: before from"), "{err}");
    let v = json(&out);
    assert_eq!(v["records"]["accepted"], 51);
    let c = &v["companies"][0];
    assert_eq!(c["company"], "556677-8899");
    let unannounced = c["unannounced"].as_u64().unwrap();
    assert!(unannounced > 0 && unannounced < c["registrations"].as_u64().unwrap());
    let listed = std::fs::read_to_string(&list).unwrap();
    assert!(
        listed.contains(",p05,556677-8899,BPL-1,2026-03-02"),
        "{listed}"
    );
    assert!(
        listed.contains(",p03,556677-8899,BPL-1,"),
        "announced by another company"
    );
    assert!(
        !listed.contains(",p01,556677-8899,BPL-1,2026-03-02"),
        "{listed}"
    );
    assert!(!out.contains("Namn"), "names are read, never shown");
    for site in c["sites"].as_array().unwrap() {
        assert!(
            site["site"] == "(other)" || site["individuals"].as_u64().unwrap() >= 3,
            "{site}"
        );
    }
    // BPL-2 has one person, so BPL-1 is folded with it (secondary suppression).
    assert_eq!(c["sites"][0]["site"], "(other)");
    assert_eq!(c["sites"][0]["announced_never_seen"], 1, "p99");
    let (code, table, _) = run_cli(&[
        "notices",
        "check",
        notices.to_str().unwrap(),
        events.to_str().unwrap(),
        "--format",
        "table",
    ]);
    assert_eq!(code, 0);
    assert!(table.contains("| 556677-8899 |"), "{table}");
    let (code, _, _) = run_cli(&[
        "notices",
        "check",
        events.to_str().unwrap(),
        events.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "an event file is not a notice file");
}

/// Issue 17, part 3: the register extract lists every registration of the
/// site and period with its corrections, and prints the head and the command
/// that verifies the ledger against it.
#[test]
fn ledger_extract_for_an_inspection() {
    let dir = fresh_dir("extract");
    let ledger = dir.join("register.ledger");
    let events = temp_file("extract-events.csv", WORKED_EXAMPLES);
    run_cli(&[
        "ledger",
        "import",
        events.to_str().unwrap(),
        ledger.to_str().unwrap(),
    ]);
    let l = ledger.to_str().unwrap();
    let (code, _, err) = run_cli(&[
        "ledger",
        "correct",
        l,
        "--entry",
        "9",
        "--reason",
        "swapped <by> the reader",
        "--at",
        "2026-03-02T07:00:00+01:00",
        "--direction",
        "IN",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, head, _) = run_cli(&["ledger", "head", l]);
    let html = dir.join("extract.html");
    let args = [
        "ledger",
        "extract",
        l,
        "--site",
        "BPL-1",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-02",
    ];
    let (code, _, err) = run_cli(&[&args[..], &["-o", html.to_str().unwrap()]].concat());
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(head.trim()), "the head is printed");
    assert!(page.contains(&format!("ledger verify {l} --head {}", head.trim())));
    assert!(
        page.contains("swapped &lt;by&gt; the reader"),
        "corrections with their reasons, escaped"
    );
    let (code, csv, _) = run_cli(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("9,") && r.contains("replaced by IN")),
        "{csv}"
    );
    // Every registration of that site and day, and none of another day.
    assert!(!csv.contains("2026-03-03"), "{csv}");
    assert!(rows.len() > 20, "{csv}");
    let (code, _, _) = run_cli(&[
        "ledger",
        "extract",
        l,
        "--site",
        "BPL-1",
        "--from",
        "2026-03-03",
        "--to",
        "2026-03-02",
    ]);
    assert_eq!(code, 2);
}

/// Issue 17, part 4: double registrations counted per company from the
/// ledger, and shown beside the index, never in it.
#[test]
fn register_faults_beside_the_index() {
    let dir = fresh_dir("faults");
    let ledger = dir.join("l");
    let events = temp_file(
        "faults-events.csv",
        "person,company,site,timestamp,direction,device\n\
         p1,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN,door-1\n\
         p1,556677-8899,BPL-1,2026-03-02T07:00:40+01:00,IN,door-2\n\
         p1,556677-8899,BPL-1,2026-03-02T16:00:00+01:00,OUT,door-1\n\
         p1,556677-8899,BPL-1,2026-03-02T16:00:00+01:00,OUT,door-1\n\
         p2,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN,door-1\n\
         p2,556677-8899,BPL-1,2026-03-02T07:02:00+01:00,IN,door-2\n\
         p3,559900-1122,BPL-1,2026-03-02T07:00:00+01:00,IN,door-1\n\
         p3,559900-1122,BPL-1,2026-03-02T07:00:10+01:00,IN,door-1\n",
    );
    let (code, _, err) = run_cli(&[
        "ledger",
        "import",
        events.to_str().unwrap(),
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run_cli(&["ledger", "faults", ledger.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    // p1: IN twice from two doors within 40 s, and one OUT stored twice;
    // p2's second IN is two minutes later; p3's from the same door.
    assert_eq!(
        v["556677-8899"],
        json(r#"{"registrations": 6, "double_in": 1, "duplicate": 1}"#)
    );
    assert_eq!(
        v["559900-1122"],
        json(r#"{"registrations": 2, "double_in": 0, "duplicate": 0}"#)
    );
    let faults = dir.join("faults.json");
    std::fs::write(&faults, &out).unwrap();
    let (_, result, _) = run_cli(&["compute", events.to_str().unwrap()]);
    let result_file = dir.join("result.json");
    std::fs::write(&result_file, &result).unwrap();
    let (code, md, err) = run_cli(&[
        "report",
        result_file.to_str().unwrap(),
        "--format",
        "markdown",
        "--faults",
        faults.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("double registrations"), "{md}");
    let (_, with, _) = run_cli(&[
        "report",
        result_file.to_str().unwrap(),
        "--format",
        "json",
        "--faults",
        faults.to_str().unwrap(),
    ]);
    let (_, without, _) = run_cli(&["report", result_file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        json(&with)["totals"],
        json(&without)["totals"],
        "never in the index"
    );
    assert_eq!(json(&with)["companies"][0]["faults"]["double_in"], 1);
}

/// Issue 17, part 2: `ledger prune` is a dry run unless asked, then deletes
/// what retention no longer allows, and the ledger still verifies.
#[test]
fn ledger_prune_on_the_command_line() {
    let dir = fresh_dir("prune-cli");
    let ledger = dir.join("l");
    let events = temp_file("prune-events.csv", WORKED_EXAMPLES);
    run_cli(&[
        "ledger",
        "import",
        events.to_str().unwrap(),
        ledger.to_str().unwrap(),
    ]);
    let l = ledger.to_str().unwrap();
    let (_, head, _) = run_cli(&["ledger", "head", l]);
    let (code, out, _) = run_cli(&["ledger", "prune", l, "--at", "2028-12-31"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("would delete") && out.contains(": 0 registrations"),
        "{out}"
    );
    let (code, out, _) = run_cli(&["ledger", "prune", l, "--at", "2029-01-01"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("would delete") && out.contains("51 registrations"),
        "{out}"
    );
    assert!(
        std::fs::read_to_string(&ledger).unwrap().contains("p01"),
        "a dry run deletes nothing"
    );
    let (code, out, _) = run_cli(&["ledger", "prune", l, "--at", "2029-01-01", "--apply"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("deleted: 51 registrations"), "{out}");
    let text = std::fs::read_to_string(&ledger).unwrap();
    assert!(
        !text.contains("p01") && text.starts_with("checkpoint\t51\t"),
        "{text}"
    );
    let (code, out, err) = run_cli(&["ledger", "verify", l, "--head", head.trim()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ok: 51 entries"), "{out}");
}

/// 12.4: one company in two spellings is invoiced once.
#[test]
fn fee_basis_counts_one_company_whatever_its_spelling() {
    let cards = temp_file(
        "fee-spellings.csv",
        "card,holder,company,valid_from,valid_to\n\
         AB-0000000001,p01,556036-0793,2026-01-01,2026-12-31\n\
         AB-0000000002,p02,5560360793,2026-01-01,2026-12-31\n",
    );
    let (code, out, err) = run_cli(&[
        "cards",
        "fee-basis",
        cards.to_str().unwrap(),
        "--year",
        "2026",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "company,cards\n556036-0793,2\n");
}
