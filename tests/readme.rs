//! The README cannot rot: every command line it shows runs, and its table of
//! subcommands names exactly the options `--help` lists.

use std::collections::BTreeSet;
use std::process::Command;

const README: &str = include_str!("../README.md");

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_loggningsindex")
}

/// The long options in `--help` of a subcommand (from its Options section).
fn help_options(subcommand: &[&str]) -> BTreeSet<String> {
    let output = Command::new(bin())
        .args(subcommand)
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    help.lines()
        .skip_while(|line| !line.starts_with("Options:"))
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("-o, ").unwrap_or(line);
            let line = if line.starts_with("-h, ") || line.starts_with("-V, ") {
                return None;
            } else {
                line
            };
            let name = line.strip_prefix("--")?;
            let end = name
                .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
                .unwrap_or(name.len());
            Some(format!("--{}", &name[..end]))
        })
        .filter(|o| o != "--help" && o != "--version")
        .collect()
}

/// The long options the README's table names for a subcommand: in the cell
/// whose synopsis starts with it (or, for the `·`-joined ledger and
/// conformance rows, in its part).
fn readme_options(subcommand: &[&str]) -> BTreeSet<String> {
    let start = format!("`{}", subcommand.join(" "));
    let row = README
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| {
            let synopsis = l.split(" | ").next().unwrap_or("");
            synopsis
                .split(" · ")
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .map(|s| s.trim_start_matches("| ").to_string())
        .find(|s| s.starts_with(&format!("{start} ")) || s == &format!("{start}`"))
        .unwrap_or_else(|| panic!("no README row for {subcommand:?}"));
    let mut options = BTreeSet::new();
    let mut rest = row.as_str();
    while let Some(at) = rest.find("--") {
        let name = &rest[at + 2..];
        let end = name
            .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
            .unwrap_or(name.len());
        options.insert(format!("--{}", &name[..end]));
        rest = &name[end..];
    }
    if row.contains("[-o FILE]") || row.contains(" -o ") {
        options.insert("--output".into());
    }
    options
}

#[test]
fn readme_and_help_name_the_same_options() {
    let subcommands: [&[&str]; 29] = [
        &["serve"],
        &["token", "create"],
        &["token", "revoke"],
        &["cards", "import"],
        &["ledger", "export"],
        &["ledger", "prune"],
        &["ledger", "faults"],
        &["ledger", "extract"],
        &["notices", "check"],
        &["competence", "check"],
        &["competence", "expiring"],
        &["compute"],
        &["merge"],
        &["demo"],
        &["report"],
        &["generate"],
        &["cards", "expiring"],
        &["cards", "fee-basis"],
        &["cards", "check"],
        &["ledger", "import"],
        &["ledger", "correct"],
        &["ledger", "verify"],
        &["ledger", "head"],
        &["ledger", "present"],
        &["ledger", "day"],
        &["keygen"],
        &["pseudonymize"],
        &["conformance", "list"],
        &["conformance", "run"],
    ];
    for sub in subcommands {
        assert_eq!(readme_options(sub), help_options(sub), "{sub:?}");
    }
}

#[test]
fn every_command_line_in_the_readme_runs() {
    let dir = std::env::temp_dir().join(format!("loggningsindex-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut ran = 0;
    for line in README.lines() {
        let Some(rest) = line.strip_prefix("target/release/loggningsindex ") else {
            continue;
        };
        let command = rest.split("  #").next().unwrap().trim();
        let args: Vec<&str> = command.split_whitespace().collect();
        let output = Command::new(bin())
            .args(&args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 3, "the README shows its command lines");
    assert!(dir.join("report.html").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
