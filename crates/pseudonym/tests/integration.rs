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
    (1930i32..2020, 1u8..=12, 1u8..=28, 0u16..1000, any::<bool>()).prop_map(
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
