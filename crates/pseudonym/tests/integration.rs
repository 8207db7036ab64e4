//! Known answers, laws of normalisation, and the end-to-end privacy promise.

use loggningsindex_bulk::{Options, Verbatim, compute};
use loggningsindex_pseudonym::{Domain, Key, Pseudonymizer, canonical};
use proptest::prelude::*;
use time::Date;
use time::macros::date;

const REFERENCE: Date = date!(2026 - 11 - 28);

fn key() -> Key {
    let hex: String = (0u8..32).map(|b| format!("{b:02x}")).collect();
    Key::from_hex(&hex).unwrap()
}

#[test]
fn known_answer_vectors() {
    // Computed independently (Python's hmac module) for key 00 01 … 1f:
    // HMAC-SHA256(key, "loggningsindex/v1/<domain>" ‖ 0x00 ‖ canonical)[..16].
    // A change here changes every pseudonym ever published: never by accident.
    let p = Pseudonymizer::new(key(), REFERENCE);
    let cases = [
        (
            Domain::Person,
            "811218-9876",
            "p_4c4f3be72e49b5ba5732b30b4b750709",
        ),
        (
            Domain::Person,
            "198112189876",
            "p_4c4f3be72e49b5ba5732b30b4b750709",
        ),
        (
            Domain::Company,
            "556012-5790",
            "c_ab7f6e2edd893fef02a5022832159f87",
        ),
        (
            Domain::Company,
            "16556012-5790",
            "c_ab7f6e2edd893fef02a5022832159f87",
        ),
        (
            Domain::Site,
            " BPL-100001 ",
            "s_cb5ccdbab5d0468aa6e202d6bd06babb",
        ),
        (
            Domain::Card,
            "AB-1234567890",
            "k_68a670be14dcd25d2498178e88ba8019",
        ),
        (
            Domain::Person,
            "PL12345678901",
            "p_6498bda7256823d9c837566b3f0fcdcc",
        ),
    ];
    for (domain, raw, want) in cases {
        assert_eq!(p.pseudonym(domain, raw).unwrap(), want, "{domain:?} {raw}");
    }
}

#[test]
fn a_sole_traders_company_id_is_its_personnummer() {
    let p = Pseudonymizer::new(key(), REFERENCE);
    let as_company = p.pseudonym(Domain::Company, "811218-9876").unwrap();
    assert_eq!(
        as_company,
        p.pseudonym(Domain::Company, "198112189876").unwrap()
    );
    assert_ne!(
        as_company,
        p.pseudonym(Domain::Person, "811218-9876").unwrap()
    );
    assert!(p.pseudonym(Domain::Company, "811218-9875").is_err());
}

#[test]
fn keys_are_written_once_with_mode_0600_and_read_back() {
    let path = std::env::temp_dir().join(format!("loggningsindex-key-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let written = Key::write_new(&path).unwrap();
    let read = Key::load(&path).unwrap();
    let p1 = Pseudonymizer::new(written, REFERENCE);
    let p2 = Pseudonymizer::new(read, REFERENCE);
    assert_eq!(
        p1.pseudonym(Domain::Site, "x"),
        p2.pseudonym(Domain::Site, "x")
    );
    assert!(Key::write_new(&path).is_err(), "never overwrites");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // A wrong key file: the error says what is wrong, never what it holds.
    let secret = "zq".repeat(32);
    std::fs::write(&path, &secret).unwrap();
    let err = Key::load(&path).unwrap_err().to_string();
    assert!(err.contains("not hexadecimal"), "{err}");
    assert!(
        !err.contains("zqzq"),
        "the key file's content leaked: {err}"
    );
    std::fs::write(&path, "abcd").unwrap();
    let err = Key::load(&path).unwrap_err().to_string();
    assert!(
        err.contains("expected 64 hexadecimal digits, found 4") && !err.contains("abcd"),
        "{err}"
    );
    std::fs::remove_file(&path).unwrap();
}

fn arb_personnummer() -> impl Strategy<Value = String> {
    (1930i32..2020, 1u8..=12, 1u8..=28, 1u16..1000, any::<bool>()).prop_map(
        |(y, m, d, n, coordination)| {
            let day = d + if coordination { 60 } else { 0 };
            let nine = format!("{:02}{m:02}{day:02}{n:03}", y % 100);
            let sum: u32 = nine
                .bytes()
                .enumerate()
                .map(|(i, b)| {
                    let p = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
                    p / 10 + p % 10
                })
                .sum();
            format!("{y}{m:02}{day:02}-{n:03}{}", (10 - sum % 10) % 10)
        },
    )
}

proptest! {
    #[test]
    fn prop_normalisation_is_idempotent(id in arb_personnummer(), other in "[A-Za-z0-9 -]{1,20}") {
        for domain in [Domain::Person, Domain::Company, Domain::Site, Domain::Card] {
            for raw in [id.as_str(), other.as_str()] {
                if let Ok(once) = canonical(domain, raw, REFERENCE) {
                    prop_assert_eq!(canonical(domain, &once, REFERENCE), Ok(once.clone()));
                }
            }
        }
    }

    #[test]
    fn prop_equivalent_spellings_give_one_pseudonym(id in arb_personnummer()) {
        let p = Pseudonymizer::new(key(), REFERENCE);
        let twelve = id.replace('-', "");
        let ten = id[2..].to_string();
        let want = p.pseudonym(Domain::Person, &id).unwrap();
        prop_assert_eq!(p.pseudonym(Domain::Person, &twelve).unwrap(), want.clone());
        prop_assert_eq!(p.pseudonym(Domain::Person, &ten).unwrap(), want.clone());
        prop_assert_eq!(p.pseudonym(Domain::Person, &format!("  {ten}\t")).unwrap(), want);
    }

    #[test]
    fn prop_domains_never_collide(raw in "[a-z0-9-]{1,20}") {
        let p = Pseudonymizer::new(key(), REFERENCE);
        let all: Vec<String> = [Domain::Person, Domain::Company, Domain::Site, Domain::Card]
            .iter()
            .filter_map(|d| p.pseudonym(*d, &raw).ok())
            .map(|s| s[2..].to_string())
            .collect();
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), all.len());
    }
}

/// A synthetic register with Swedish identities and bad rows.
fn register(
    seed: u64,
) -> (
    loggningsindex_synth::Population,
    Vec<u8>,
    loggningsindex_synth::CsvStats,
) {
    use loggningsindex_synth::{CsvOptions, Population, write_csv};
    let population = Population::builder()
        .seed(seed)
        .companies(40)
        .dates(date!(2026 - 03 - 02), date!(2026 - 03 - 29))
        .build()
        .unwrap();
    let mut csv = Vec::new();
    let options = CsvOptions {
        bad_rows: 18,
        ..CsvOptions::default()
    };
    let stats = write_csv(&population, &options, &mut csv, |_| {}).unwrap();
    (population, csv, stats)
}

#[test]
fn pseudonymising_then_computing_equals_computing_on_raw_ids_up_to_renaming() {
    let (_, csv, stats) = register(8);
    let raw = compute(
        csv.as_slice(),
        &Options::default(),
        &mut Verbatim,
        &mut |_| {},
    )
    .unwrap();
    let mut p = Pseudonymizer::new(key(), REFERENCE);
    let pseudo = compute(csv.as_slice(), &Options::default(), &mut p, &mut |_| {}).unwrap();
    // The spoilt personnummer rows are rejected only when validating.
    assert_eq!(
        pseudo.records.rejected,
        raw.records.rejected + stats.bad_ids
    );
    let mut renamed = loggningsindex_core::Summary::default();
    let p2 = Pseudonymizer::new(key(), REFERENCE);
    renamed.merge(raw.summary.clone().map_ids(
        |c| p2.pseudonym(Domain::Company, c).unwrap(),
        |s| p2.pseudonym(Domain::Site, s).unwrap(),
    ));
    // Raw also counted each spoilt row as a lone IN (missing OUT) of a
    // person of its own.
    let mut expected = renamed;
    expected.totals.tally.missing_out -= stats.bad_ids;
    expected.totals.individuals -= stats.bad_ids;
    assert_eq!(pseudo.summary.totals, expected.totals);
    assert_eq!(pseudo.summary.companies.len(), expected.companies.len());
    assert!(pseudo.summary.companies.keys().all(|c| c.starts_with("c_")));
    // One HMAC per distinct identifier, not per row.
    assert!(
        p.distinct() < (pseudo.records.read / 10) as usize,
        "{} HMACs",
        p.distinct()
    );
}

#[test]
fn no_identity_number_reaches_any_output() {
    let (population, csv, _) = register(9);
    let mut p = Pseudonymizer::new(key(), REFERENCE);
    let result = compute(csv.as_slice(), &Options::default(), &mut p, &mut |_| {}).unwrap();
    let mut outputs = format!("{:?}", result.summary);
    for reject in &result.rejects {
        outputs.push_str(&format!("{} {}\n", reject.line, reject.reason));
    }
    let mut json = Vec::new();
    loggningsindex_report::write_json(
        &loggningsindex_report::Report::new(result.records, &result.summary),
        &mut json,
    )
    .unwrap();
    outputs.push_str(&String::from_utf8(json).unwrap());
    for person in population.persons() {
        let digits: String = person.id.chars().filter(char::is_ascii_digit).collect();
        for form in [person.id.as_str(), &digits, &digits[2.min(digits.len())..]] {
            assert!(!outputs.contains(form), "a person id leaked");
        }
    }
    for company in population.companies() {
        assert!(!outputs.contains(&company.id), "a company id leaked");
    }
}

fn pseudonymize_text(input: &str, keep: &[&str]) -> (String, loggningsindex_pseudonym::FileStats) {
    let mut p = Pseudonymizer::new(key(), date!(2026 - 11 - 28));
    let mut options = loggningsindex_pseudonym::PseudonymizeOptions::default();
    options.keep_columns = keep.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    let stats =
        loggningsindex_pseudonym::pseudonymize_csv(input.as_bytes(), &mut out, &mut p, &options)
            .unwrap();
    (String::from_utf8(out).unwrap(), stats)
}

/// Review finding 11.1: `pseudonymize` copied every other column unchanged, so
/// a name or a personnummer in an extra column reached the output.
#[test]
fn pseudonymize_writes_only_the_event_columns_unless_asked() {
    let input = "person,company,site,timestamp,direction,name,note\n\
                 19900101-0017,556012-5790,BPL-1,2026-03-02T07:00:00+01:00,in,Anna Andersson,ok\n";
    let (out, stats) = pseudonymize_text(input, &[]);
    assert!(!out.contains("Anna"), "{out}");
    assert!(!out.contains("ok"), "{out}");
    assert_eq!(
        out.lines().next(),
        Some("person,company,site,timestamp,direction")
    );
    assert!(
        out.lines()
            .nth(1)
            .unwrap()
            .ends_with(",2026-03-02T07:00:00+01:00,IN")
    );
    assert_eq!(stats.dropped_columns, ["name", "note"]);
    // A column the caller names is copied, on the caller's responsibility.
    let (out, stats) = pseudonymize_text(input, &["NOTE"]);
    assert_eq!(
        out.lines().next(),
        Some("person,company,site,timestamp,direction,note")
    );
    assert!(out.lines().nth(1).unwrap().ends_with(",ok"));
    assert!(!out.contains("Anna"));
    assert_eq!(stats.dropped_columns, ["name"]);
}

/// Review finding 11.1: a misaligned row (a personnummer where the timestamp
/// belongs) was written as it was; now it is rejected like `compute` does.
#[test]
fn pseudonymize_rejects_rows_compute_would_reject() {
    let input = "person,company,site,timestamp,direction\n\
                 19900101-0017,556012-5790,BPL-1,19811218-9876,IN\n\
                 19900101-0017,556012-5790,BPL-1,2026-03-02T07:00:00+01:00,SIDEWAYS\n\
                 19900101-0017,556012-5790,BPL\u{0}1,2026-03-02T07:00:00+01:00,IN\n\
                 19900101-0017,556012-5790,BPL-1,2026-03-02 07:00:00,OUT\n";
    let (out, stats) = pseudonymize_text(input, &[]);
    assert!(!out.contains("19811218"), "{out}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert_eq!(stats.read, 4);
    assert_eq!(stats.written, 1);
    let reasons: Vec<String> = stats
        .rejects
        .iter()
        .map(|r| format!("{}: {}", r.line, r.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            "2: bad timestamp: not YYYY-MM-DDTHH:MM:SS",
            "3: unknown direction (expected IN, OUT or UT)",
            "4: control character in site",
        ]
    );
}

/// A file with an unknown `--keep-column` is refused as a whole.
#[test]
fn pseudonymize_refuses_a_kept_column_that_does_not_exist() {
    let mut p = Pseudonymizer::new(key(), date!(2026 - 11 - 28));
    let mut options = loggningsindex_pseudonym::PseudonymizeOptions::default();
    options.keep_columns = vec!["nope".into()];
    let err = loggningsindex_pseudonym::pseudonymize_csv(
        "person,company,site,timestamp,direction\n".as_bytes(),
        Vec::new(),
        &mut p,
        &options,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "--keep-column \"nope\": no such column in the header"
    );
}

/// Review finding 11.7, checked against a list made outside this project:
/// the test numbers of the open-source `personnummer` libraries' shared test
/// data (github.com/personnummer/meta, testdata/list.json), each in every
/// notation it lists. Valid numbers give one pseudonym for all notations;
/// invalid ones are rejected in every notation.
#[test]
fn identity_numbers_agree_with_an_independent_list() {
    // (long, short with separator, twelve digits with separator, valid)
    let list = [
        ("201509160006", "150916-0006", "20150916-0006", false),
        ("190905271474", "090527+1474", "19090527+1474", true),
        ("198707049996", "870704-9996", "19870704-9996", false),
        ("198211059954", "821105-9954", "19821105-9954", true),
        ("193901829913", "390182-9913", "19390182-9913", false),
        ("195705749959", "570574-9959", "19570574-9959", true),
        ("201211209941", "121120-9941", "20121120-9941", false),
        ("199012119948", "901211-9948", "19901211-9948", true),
        ("201210759984", "121075-9984", "20121075-9984", false),
        ("197306749982", "730674-9982", "19730674-9982", true),
        ("187912219990", "791221+9990", "18791221+9990", true),
        ("200012099891", "001209-9891", "20001209-9891", true),
    ];
    let p = Pseudonymizer::new(key(), REFERENCE);
    for (long, short, separated, valid) in list {
        let got: Vec<_> = [long, short, separated]
            .iter()
            .map(|n| p.pseudonym(Domain::Person, n))
            .collect();
        if valid {
            let first = got[0].clone().unwrap_or_else(|e| panic!("{long}: {e}"));
            for (n, g) in [long, short, separated].iter().zip(&got) {
                assert_eq!(g.as_ref().ok(), Some(&first), "{n}");
            }
        } else {
            for (n, g) in [long, short, separated].iter().zip(&got) {
                assert!(g.is_err(), "{n} was accepted");
            }
        }
    }
    // The list's malformed spellings: a space instead of the separator.
    for n in ["19090527 1474", "090527 1474"] {
        assert!(p.pseudonym(Domain::Person, n).is_err(), "{n}");
    }
}

/// Review finding 11.7: numbers that look Swedish but are not valid were taken
/// as opaque foreign ids, so one person could get several pseudonyms.
#[test]
fn swedish_shaped_ids_are_validated_and_foreign_ids_are_recognisable() {
    let p = Pseudonymizer::new(key(), REFERENCE);
    for bad in [
        "811218 9876",
        "19811218\u{2013}9876",
        "19811218-9877x",
        "20150916-0006",
        "19811218+9876",
        "81.12.18-9876",
    ] {
        assert!(p.pseudonym(Domain::Person, bad).is_err(), "{bad}");
    }
    let one = p.pseudonym(Domain::Person, "19121212+1212").unwrap();
    assert_eq!(p.pseudonym(Domain::Person, "121212+1212").unwrap(), one);
    assert_eq!(p.pseudonym(Domain::Person, "191212121212").unwrap(), one);
    // Foreign ids: a letter within the first six characters.
    for foreign in ["PL12345678901", "X1234567", "p_00ff"] {
        assert!(p.pseudonym(Domain::Person, foreign).is_ok(), "{foreign}");
    }
}

/// Review finding 11.6: keys readable by others, all-zero keys and endless
/// key files were accepted.
#[test]
fn key_files_that_are_open_zero_or_endless_are_refused() {
    let dir = std::env::temp_dir().join(format!("loggningsindex-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("key");
    Key::write_new(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for mode in [0o640, 0o604, 0o644] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let err = Key::load(&path).unwrap_err().to_string();
            assert!(
                err.contains("too open") && err.contains("chmod 600"),
                "{err}"
            );
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(Key::load(&path).is_ok());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    std::fs::write(&path, "00".repeat(32)).unwrap();
    let err = Key::load(&path).unwrap_err().to_string();
    assert!(err.contains("all zero"), "{err}");
    // /dev/zero never ends: only the first bytes are read.
    #[cfg(unix)]
    {
        let err = Key::load(std::path::Path::new("/dev/zero"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("too open") || err.contains("longer than"),
            "{err}"
        );
    }
    let long = dir.join("long");
    std::fs::write(&long, "ab".repeat(32) + &" ".repeat(200)).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&long, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let err = Key::load(&long).unwrap_err().to_string();
    assert!(err.contains("longer than 128 bytes"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// RULES §7: the `origin` column survives pseudonymisation (it says who made
/// the registration, not who the person is), checked as `compute` checks it.
#[test]
fn pseudonymize_keeps_and_checks_the_origin_column() {
    let input = "person,company,site,timestamp,direction,origin\n\
                 19900101-0017,556012-5790,BPL-1,2026-03-02T07:00:00+01:00,IN,Card\n\
                 19900101-0017,556012-5790,BPL-1,2026-03-02T23:59:00+01:00,OUT,auto\n\
                 19900101-0017,556012-5790,BPL-1,2026-03-03T07:00:00+01:00,IN,robot\n";
    let (out, stats) = pseudonymize_text(input, &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "person,company,site,timestamp,direction,origin");
    assert!(
        lines[1].ends_with(",IN,card") && lines[2].ends_with(",OUT,auto"),
        "{out}"
    );
    assert_eq!(stats.rejects.len(), 1);
    assert_eq!(stats.rejects[0].line, 4);
}
