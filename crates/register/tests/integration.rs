//! A ledger that no edit gets past, concurrent appenders, and the
//! inspector's questions with corrections applied.

use std::path::PathBuf;

use loggningsindex_core::{Class, Direction, Timestamp};
use loggningsindex_register::ledger::{self, Action, Correction, Entry, Registration};
use loggningsindex_register::{day, effective, present};
use loggningsindex_zone::Zone;
use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::{date, datetime};

fn at(t: OffsetDateTime) -> Timestamp {
    Timestamp::from_offset_datetime(t).unwrap()
}

// ---- The ledger ---------------------------------------------------------------

/// A ledger path in a fresh temporary directory, removed with the guard.
fn temp(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix(&format!("loggningsindex-ledger-{name}-"))
        .tempdir()
        .unwrap();
    let path = dir.path().join("ledger");
    (dir, path)
}

fn instant(text: &str) -> Timestamp {
    loggningsindex_format::parse_timestamp(text, &mut Zone::stockholm().offsets()).unwrap()
}

fn way(text: &str) -> Direction {
    loggningsindex_format::parse_direction(text.as_bytes()).unwrap()
}

fn registration(person: &str, at: &str, direction: &str) -> Entry {
    Entry::Registration(Registration {
        person: person.into(),
        company: "556677-8899".into(),
        site: "BPL-1".into(),
        card: "AB-1234567890".into(),
        at: instant(at),
        direction: way(direction),
        device: "door-1".into(),
        origin: Default::default(),
        salt: None,
    })
}

#[test]
fn corrections_apply_and_are_marked_in_the_day_and_presence() {
    let (_scratch, path) = temp("day");
    ledger::append(
        &path,
        &[
            registration("p1", "2026-03-02T07:00:00+01:00", "IN"),
            registration("p1", "2026-03-02T16:00:00+01:00", "IN"),
            registration("p2", "2026-03-02T07:30:00+01:00", "IN"),
            registration("p2", "2026-03-02T07:31:00+01:00", "IN"),
        ],
    )
    .unwrap();
    // The guard fixes p1's afternoon tap (it was an OUT) and voids p2's double tap.
    ledger::append(
        &path,
        &[
            Entry::Correction(Correction {
                corrects: 2,
                reason: "tapped the wrong button".into(),
                action: Action::Replace {
                    at: instant("2026-03-02T16:00:00+01:00"),
                    direction: Direction::Out,
                },
            }),
            Entry::Correction(Correction {
                corrects: 4,
                reason: "double tap".into(),
                action: Action::Void,
            }),
        ],
    )
    .unwrap();
    let (entries, head) = ledger::read(&path).unwrap();
    assert_eq!(head.seq, 6);
    // Both the original and the correction stay readable.
    assert!(matches!(&entries[1].1, Entry::Registration(r) if r.direction == Direction::In));
    let regs = effective(&entries).unwrap();
    assert_eq!(regs.len(), 3);
    let shifts = day(&regs, "BPL-1", date!(2026 - 03 - 02));
    assert_eq!(shifts.len(), 2);
    assert_eq!(
        (
            shifts[0].person.as_str(),
            shifts[0].class,
            shifts[0].corrected
        ),
        ("p1", Class::Correct, true)
    );
    assert_eq!(
        (
            shifts[1].person.as_str(),
            shifts[1].class,
            shifts[1].corrected
        ),
        ("p2", Class::MissingOut, false)
    );
    let noon = at(datetime!(2026-03-02 12:00 +01:00));
    let here: Vec<String> = present(&regs, "BPL-1", noon)
        .into_iter()
        .map(|p| p.person)
        .collect();
    assert_eq!(here, ["p1", "p2"]);
    let evening = at(datetime!(2026-03-02 17:00 +01:00));
    let here: Vec<String> = present(&regs, "BPL-1", evening)
        .into_iter()
        .map(|p| p.person)
        .collect();
    assert_eq!(here, ["p2"]);
    // 13 h after p2's IN, p2 no longer counts as present.
    let late = at(datetime!(2026-03-02 20:31 +01:00));
    assert!(present(&regs, "BPL-1", late).is_empty());
    // A correction must name a registration.
    let bad = Entry::Correction(Correction {
        corrects: 5,
        reason: "x".into(),
        action: Action::Void,
    });
    assert!(ledger::append(&path, &[bad]).is_err());
}

#[test]
fn a_torn_last_line_is_reported_not_repaired() {
    let (_scratch, path) = temp("torn");
    ledger::append(
        &path,
        &[registration("p1", "2026-03-02T07:00:00+01:00", "IN")],
    )
    .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"2\tabc\tdef\t{\"type\":");
    std::fs::write(&path, &bytes).unwrap();
    let err = ledger::read(&path).unwrap_err().to_string();
    assert!(
        err.contains("entry 2") && err.contains("torn last line"),
        "{err}"
    );
    assert!(
        ledger::append(
            &path,
            &[registration("p1", "2026-03-02T16:00:00+01:00", "OUT")]
        )
        .is_err()
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "never silently repaired"
    );
}

fn ledger_of(n: usize, name: &str) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let (scratch, path) = temp(name);
    let entries: Vec<Entry> = (0..n)
        .map(|i| {
            registration(
                &format!("p{}", i % 3),
                &format!("2026-03-02T{:02}:00:00+01:00", 6 + i % 12),
                if i % 2 == 0 { "IN" } else { "OUT" },
            )
        })
        .collect();
    ledger::append(&path, &entries).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(ledger::read(&path).is_ok(), "an untouched ledger verifies");
    (scratch, path, bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_any_single_byte_change_fails(n in 1usize..8, pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let (_scratch, path, mut bytes) = ledger_of(n, "byte");
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        std::fs::write(&path, &bytes).unwrap();
        prop_assert!(ledger::read(&path).is_err());
    }

    #[test]
    fn prop_deleted_or_swapped_entries_fail(n in 2usize..8, a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let (_scratch, path, bytes) = ledger_of(n, "lines");
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let (i, j) = (a.index(lines.len()), b.index(lines.len()));
        let mut deleted = lines.clone();
        deleted.remove(i);
        std::fs::write(&path, deleted.concat()).unwrap();
        prop_assert!(ledger::read(&path).is_err(), "deleted entry {}", i + 1);
        prop_assume!(i != j);
        let mut swapped = lines.clone();
        swapped.swap(i, j);
        std::fs::write(&path, swapped.concat()).unwrap();
        prop_assert!(ledger::read(&path).is_err(), "swapped {} and {}", i + 1, j + 1);
    }

    #[test]
    fn prop_truncated_file_fails(n in 1usize..8, cut in any::<prop::sample::Index>()) {
        let (_scratch, path, bytes) = ledger_of(n, "cut");
        let keep = cut.index(bytes.len());
        std::fs::write(&path, &bytes[..keep]).unwrap();
        prop_assert!(ledger::read(&path).is_err(), "cut at byte {}", keep);
    }
}

// ---- Review findings 11.4: concurrency and tampering ----------------------------

/// Two `ledger import` at once corrupted the ledger for good.
#[test]
fn concurrent_appenders_are_serialised() {
    let (_scratch, path) = temp("concurrent");
    const APPENDERS: usize = 8;
    const ENTRIES: usize = 1_000;
    const BATCH: usize = 25;
    std::thread::scope(|scope| {
        for appender in 0..APPENDERS {
            let path = &path;
            scope.spawn(move || {
                for batch in 0..ENTRIES / BATCH {
                    let entries: Vec<Entry> = (0..BATCH)
                        .map(|i| {
                            registration(
                                &format!("a{appender}-{}", batch * BATCH + i),
                                "2026-03-02T07:00:00+01:00",
                                "IN",
                            )
                        })
                        .collect();
                    ledger::append(path, &entries).unwrap();
                }
            });
        }
    });
    let (entries, head) = ledger::read(&path).unwrap();
    assert_eq!(head.seq as usize, APPENDERS * ENTRIES);
    let mut people: Vec<String> = entries
        .iter()
        .map(|(_, e)| match e {
            Entry::Registration(r) => r.person.clone(),
            Entry::Correction(_) => panic!("no corrections were appended"),
        })
        .collect();
    people.sort();
    people.dedup();
    assert_eq!(
        people.len(),
        APPENDERS * ENTRIES,
        "every entry exactly once"
    );
}

#[test]
fn a_ledger_without_its_head_file_does_not_verify() {
    let (_scratch, path, bytes) = ledger_of(5, "headless");
    let mut head = path.clone().into_os_string();
    head.push(".head");
    // Cut the last entry and delete the head: the rest is a valid chain.
    let cut = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap();
    std::fs::write(&path, &bytes[..=cut]).unwrap();
    std::fs::remove_file(&head).unwrap();
    let err = ledger::read(&path).unwrap_err().to_string();
    assert!(err.contains("head file is missing"), "{err}");
}

#[test]
fn a_published_head_proves_nothing_changed_since() {
    let (_scratch, path, _) = ledger_of(4, "published");
    let published = ledger::verify(&path, None).unwrap().published();
    ledger::append(
        &path,
        &[registration("p9", "2026-03-03T07:00:00+01:00", "IN")],
    )
    .unwrap();
    // The ledger grew: the published head is still in it.
    assert_eq!(ledger::verify(&path, Some(&published)).unwrap().seq, 5);
    // Rewrite the whole ledger from scratch with other content: a valid
    // chain and head file, but not the published one.
    let mut head = path.clone().into_os_string();
    head.push(".head");
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_file(&head).unwrap();
    let forged: Vec<Entry> = (0..5)
        .map(|i| registration("forged", &format!("2026-03-02T0{i}:00:00+01:00"), "IN"))
        .collect();
    ledger::append(&path, &forged).unwrap();
    assert!(ledger::read(&path).is_ok());
    let err = ledger::verify(&path, Some(&published))
        .unwrap_err()
        .to_string();
    assert!(err.contains("not in the chain"), "{err}");
    assert!(ledger::verify(&path, Some("nonsense")).is_err());
}

#[test]
fn invalid_corrections_are_refused_and_the_last_correction_wins() {
    let (_scratch, path) = temp("corrections");
    ledger::append(
        &path,
        &[registration("p1", "2026-03-02T07:00:00+01:00", "IN")],
    )
    .unwrap();
    let correction = |action| {
        Entry::Correction(Correction {
            corrects: 1,
            reason: "x".into(),
            action,
        })
    };
    // A correction's instant and direction are typed: a bad one cannot be
    // built, and one forged into the file is not an entry.
    let forged = r#"{"type":"correction","corrects":1,"reason":"x","action":"replace","at":"garbage","direction":"SIDEWAYS"}"#;
    assert!(serde_json::from_str::<Entry>(forged).is_err());
    assert_eq!(ledger::read(&path).unwrap().1.seq, 1);
    // Void, then replace: the replacement wins and the registration is back.
    ledger::append(&path, &[correction(Action::Void)]).unwrap();
    let (entries, _) = ledger::read(&path).unwrap();
    assert!(
        loggningsindex_register::effective(&entries)
            .unwrap()
            .is_empty()
    );
    ledger::append(
        &path,
        &[correction(Action::Replace {
            at: instant("2026-03-02T08:00:00+01:00"),
            direction: Direction::In,
        })],
    )
    .unwrap();
    let (entries, _) = ledger::read(&path).unwrap();
    let now = loggningsindex_register::effective(&entries).unwrap();
    assert_eq!(now.len(), 1);
    assert!(now[0].corrected);
    assert_eq!(now[0].at.to_string(), "2026-03-02 08:00:00+01:00");
}

#[test]
fn only_canonical_sequence_numbers_verify() {
    let (_scratch, path, bytes) = ledger_of(3, "canonical");
    let text = String::from_utf8(bytes).unwrap();
    for bad in ["+2", "02"] {
        let changed: String = text
            .lines()
            .map(|l| match l.strip_prefix("2\t") {
                Some(rest) => format!("{bad}\t{rest}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        std::fs::write(&path, changed).unwrap();
        let err = ledger::read(&path).unwrap_err().to_string();
        assert!(err.contains("entry 2"), "{bad}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn ledger_files_are_private_and_a_planted_symlink_is_not_followed() {
    use std::os::unix::fs::PermissionsExt;
    let (_scratch, path) = temp("private");
    let dir = path.parent().unwrap().to_path_buf();
    let victim = dir.join("victim");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("ledger.head.tmp")).unwrap();
    ledger::append(
        &path,
        &[registration("p1", "2026-03-02T07:00:00+01:00", "IN")],
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    for file in ["ledger", "ledger.head"] {
        let mode = std::fs::metadata(dir.join(file))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
}

// ---- Retention (issue 17, part 2) ------------------------------------------------

/// A ledger of registrations in 2025, 2026 and 2027 (two each), and a
/// correction of the first 2026 one.
fn ledger_over_years(name: &str) -> (tempfile::TempDir, PathBuf) {
    let (scratch, path) = temp(name);
    let entries: Vec<Entry> = [2025, 2025, 2026, 2026, 2027, 2027]
        .iter()
        .enumerate()
        .map(|(i, y)| {
            registration(
                &format!("person-{y}-{i}"),
                &format!("{y}-03-02T07:00:00+01:00"),
                "IN",
            )
        })
        .collect();
    ledger::append(&path, &entries).unwrap();
    ledger::append(
        &path,
        &[Entry::Correction(Correction {
            corrects: 3,
            reason: "typo".into(),
            action: Action::Void,
        })],
    )
    .unwrap();
    (scratch, path)
}

#[test]
fn prune_deletes_what_retention_ended_and_the_rest_still_verifies() {
    let (_scratch, path) = ledger_over_years("prune");
    let published_late = ledger::verify(&path, None).unwrap().published(); // entry 7
    let (entries, _) = ledger::read(&path).unwrap();
    let published_early = format!("1:{}", {
        let bytes = std::fs::read_to_string(&path).unwrap();
        bytes
            .lines()
            .next()
            .unwrap()
            .split('\t')
            .nth(2)
            .unwrap()
            .to_string()
    });
    assert_eq!(entries.len(), 7);
    // On 2028-06-01 nothing has ended (2025 is kept through 2027-12-31… no:
    // through 2027-12-31 ends on 2028-01-01).
    let dry = ledger::prune(&path, date!(2028 - 06 - 01), false, None).unwrap();
    assert_eq!((dry.through, dry.registrations, dry.corrections), (2, 2, 0));
    assert_eq!(
        ledger::read(&path).unwrap().0.len(),
        7,
        "a dry run changes nothing"
    );
    // On 2029-01-01 the 2025 and 2026 records have ended, and so has entry 7
    // (a correction of a 2026 registration) — but it stands behind the 2027
    // entries, and the chain only sheds a prefix: the 2026 registration it
    // corrects waits with it.
    let plan = ledger::prune(&path, date!(2029 - 01 - 01), true, None).unwrap();
    assert_eq!(
        (
            plan.through,
            plan.registrations,
            plan.corrections,
            plan.waiting
        ),
        (2, 2, 0, 3)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("person-2025"), "bytes really gone");
    assert!(text.starts_with("checkpoint\t2\t"), "{text}");
    let (entries, head) = ledger::read(&path).unwrap();
    assert_eq!(
        entries.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        [3, 4, 5, 6, 7]
    );
    assert_eq!(head.seq, 7);
    // A head published for a kept entry still verifies; one inside the
    // pruned part is reported as such.
    assert!(ledger::verify(&path, Some(&published_late)).is_ok());
    let err = ledger::verify(&path, Some(&published_early))
        .unwrap_err()
        .to_string();
    assert!(err.contains("pruned part"), "{err}");
    // Appending goes on from the kept head.
    ledger::append(
        &path,
        &[registration("p-new", "2029-01-02T07:00:00+01:00", "IN")],
    )
    .unwrap();
    assert_eq!(ledger::read(&path).unwrap().1.seq, 8);
    // A year on, everything recorded before 2028 goes; the counts add up.
    let plan = ledger::prune(&path, date!(2030 - 01 - 01), true, None).unwrap();
    assert_eq!(
        (plan.through, plan.registrations, plan.corrections),
        (7, 4, 1)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"registrations\":6,\"corrections\":1"),
        "{text}"
    );
    assert_eq!(ledger::read(&path).unwrap().0.len(), 1);
}

#[test]
fn a_prune_interrupted_at_any_step_leaves_a_whole_ledger() {
    for step in [
        ledger::PruneStep::Written,
        ledger::PruneStep::Synced,
        ledger::PruneStep::Renamed,
    ] {
        let (_scratch, path) = ledger_over_years(&format!("prune-crash-{step:?}"));
        let before = std::fs::read(&path).unwrap();
        ledger::prune(&path, date!(2029 - 01 - 01), true, Some(step)).unwrap();
        let (entries, _) = ledger::read(&path).unwrap();
        let after = std::fs::read(&path).unwrap();
        if step == ledger::PruneStep::Renamed {
            assert_eq!(entries.len(), 5, "{step:?}: the new ledger");
        } else {
            assert_eq!(after, before, "{step:?}: the old ledger, untouched");
        }
        // A later prune finishes the job over any leftover file aside.
        ledger::prune(&path, date!(2029 - 01 - 01), true, None).unwrap();
        assert_eq!(ledger::read(&path).unwrap().0.len(), 5, "{step:?}");
    }
}
