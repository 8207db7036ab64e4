//! What the database holds: the index equals `compute` on the same rows, no
//! identity is readable without the key, and a full disk loses nothing.

mod support;

use axum::http::StatusCode;
use loggningsindex_bulk::{Options as BulkOptions, Verbatim, compute};
use loggningsindex_report::Report;
use loggningsindex_service::{Store, export_ledger};
use proptest::prelude::*;
use serde_json::Value;
use support::{Fixture, SECRETS, body};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Cards of the fixture with their holders and companies.
const PEOPLE: [(&str, &str, &str); 3] = [
    ("AB-0000000001", "198112189876", "556677-8899"),
    ("AB-0000000002", "19900101-0017", "556677-8899"),
    ("AB-0000000003", "197001011233", "559988-7766"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The company index the service answers equals `compute` run on an event
    /// file of the same company's registrations.
    #[test]
    fn the_index_equals_compute_on_the_same_registrations(
        taps in prop::collection::vec((0usize..3, 0i64..4 * 24 * 60, any::<bool>(), 0u8..8), 0..40)
    ) {
        let f = Fixture::with("index", |o| o.tolerance.late_seconds = 5 * 24 * 3600);
        let now = OffsetDateTime::now_utc();
        let now = now.to_offset(loggningsindex_zone::Zone::stockholm().offsets().offset_at(now.unix_timestamp_nanos() as i64));
        let mut csv = String::from("person,company,site,timestamp,direction,origin\n");
        let site = |_| "BPL-1";
        runtime().block_on(async {
            for (who, minutes, inward, kind) in &taps {
                let (card, person, company) = PEOPLE[*who];
                // Some terminals send UTC, some Swedish time: the same instants either way.
                let at = now - time::Duration::minutes(*minutes);
                let at = if kind % 2 == 1 { at.to_offset(time::UtcOffset::UTC) } else { at };
                let at = at.format(&Rfc3339).unwrap();
                let direction = if *inward { "IN" } else { "OUT" };
                let origin = if *kind == 0 { "auto" } else { "card" };
                let request = format!(
                    r#"{{"card":"{card}","site":"{}","direction":"{direction}","at":"{at}","origin":"{origin}"}}"#,
                    site(who)
                );
                let (status, _) = f.json("POST", "/v1/registrations", Some(&f.terminal), &request).await;
                assert_eq!(status, StatusCode::CREATED);
                if company == "556677-8899" {
                    csv.push_str(&format!("{person},{company},BPL-1,{at},{direction},{origin}\n"));
                }
            }
            let (from, to) = (now.date() - time::Duration::days(3), now.date());
            let uri = format!("/v1/companies/556677-8899/index?from={from}&to={to}");
            let (status, got) = f.json("GET", &uri, Some(&f.company), "").await;
            assert_eq!(status, StatusCode::OK);
            // The file holds every registration of the company; keep those of the period.
            let kept: String = csv.lines().enumerate().filter(|(i, line)| {
                *i == 0 || {
                    (from..=to).contains(&swedish_date(line.split(',').nth(3).unwrap()))
                }
            }).map(|(_, l)| format!("{l}\n")).collect();
            let expected = compute(kept.as_bytes(), &BulkOptions::default(), &mut Verbatim, &mut |_| {}).unwrap();
            let expected = serde_json::to_value(Report::new(expected.records, &expected.summary)).unwrap();
            assert_eq!(got, expected);
        });
    }
}

/// The date in Sweden at an RFC 3339 instant.
fn swedish_date(text: &str) -> time::Date {
    let at = OffsetDateTime::parse(text, &Rfc3339).unwrap();
    let nanos = at.unix_timestamp_nanos() as i64;
    let offset = loggningsindex_zone::Zone::stockholm()
        .offsets()
        .offset_at(nanos);
    at.to_offset(offset).date()
}

fn database_bytes(f: &Fixture) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut name = f.location.db.as_os_str().to_owned();
        name.push(suffix);
        bytes.extend(std::fs::read(name).unwrap_or_default());
    }
    bytes
}

#[test]
fn a_copied_database_reveals_no_identity_number_or_name() {
    let f = Fixture::new("sealed");
    runtime().block_on(async {
        for (card, _, _) in PEOPLE {
            let site = if card.ends_with('3') {
                "BPL-2"
            } else {
                "BPL-1"
            };
            let token = if site == "BPL-1" {
                &f.terminal
            } else {
                &f.other_terminal
            };
            let request = body(card, site, "IN", &support::minutes_ago(3));
            assert_eq!(
                f.json("POST", "/v1/registrations", Some(token), &request)
                    .await
                    .0,
                StatusCode::CREATED
            );
        }
    });
    let bytes = database_bytes(&f);
    assert!(bytes.len() > 10_000);
    for secret in SECRETS {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} readable in the database file"
        );
    }
    // With the key, everything is there.
    let store = Store::open(&f.location, OffsetDateTime::now_utc().date()).unwrap();
    let path = f.dir.join("ledger");
    assert_eq!(
        export_ledger(&store.conn, &store.secrets, &path)
            .unwrap()
            .seq,
        3
    );
    let exported = std::fs::read_to_string(&path).unwrap();
    assert!(exported.contains("198112189876") && exported.contains("559988-7766"));
}

#[test]
fn a_full_disk_refuses_with_503_and_loses_nothing_acknowledged() {
    let mut limit = 0;
    let f = Fixture::with("full", |o| {
        let size = std::fs::metadata(&o.location.db).unwrap().len();
        limit = size + 48 * 1024;
        o.max_db_bytes = Some(limit);
    });
    let (mut acknowledged, mut refused) = (Vec::new(), 0);
    runtime().block_on(async {
        for i in 0..4000 {
            let direction = if i % 2 == 0 { "IN" } else { "OUT" };
            let request = body(
                "AB-0000000001",
                "BPL-1",
                direction,
                &support::minutes_ago(600 - i / 10),
            );
            let key = format!("k{i}");
            let (status, _, answer) = f
                .send(
                    "POST",
                    "/v1/registrations",
                    Some(&f.terminal),
                    &[("idempotency-key", &key)],
                    request,
                )
                .await;
            match status {
                StatusCode::CREATED => {
                    acknowledged.push(serde_json::from_slice::<Value>(&answer).unwrap());
                }
                StatusCode::SERVICE_UNAVAILABLE => {
                    let answer: Value = serde_json::from_slice(&answer).unwrap();
                    assert!(
                        answer["error"].as_str().unwrap().contains("storage full"),
                        "{answer}"
                    );
                    refused += 1;
                    if refused == 20 {
                        break;
                    }
                }
                other => panic!("{other}: {}", String::from_utf8_lossy(&answer)),
            }
        }
        // Reading still works.
        let (status, _) = f
            .json("GET", "/v1/sites/BPL-1/present", Some(&f.inspector), "")
            .await;
        assert_eq!(status, StatusCode::OK);
    });
    assert_eq!(refused, 20, "the limit of {limit} bytes was reached");
    assert!(
        acknowledged.len() > 50,
        "{} stored before the disk was full",
        acknowledged.len()
    );
    let store = Store::open(&f.location, OffsetDateTime::now_utc().date()).unwrap();
    let path = f.dir.join("ledger");
    let head = export_ledger(&store.conn, &store.secrets, &path).unwrap();
    assert_eq!(
        head.seq as usize,
        acknowledged.len(),
        "every acknowledged registration, and nothing else"
    );
    let last = acknowledged.last().unwrap();
    assert_eq!(last["head"].as_str(), Some(head.hash.as_str()));
}

#[test]
fn an_export_finds_rows_changed_without_the_key() {
    let f = Fixture::new("tamper");
    runtime().block_on(async {
        for minutes in [30, 20] {
            assert_eq!(
                f.register("AB-0000000001", "IN", &support::minutes_ago(minutes))
                    .await
                    .0,
                StatusCode::CREATED
            );
        }
    });
    let store = Store::open(&f.location, OffsetDateTime::now_utc().date()).unwrap();
    let export = |name: &str| export_ledger(&store.conn, &store.secrets, &f.dir.join(name));
    assert_eq!(export("clean").unwrap().seq, 2);
    let tampering = [
        "UPDATE entries SET site = 'BPL-9' WHERE seq = 2",
        "UPDATE entries SET at_nanos = at_nanos - 3600000000000 WHERE seq = 1",
        "UPDATE entries SET sealed = (SELECT sealed FROM entries WHERE seq = 1) WHERE seq = 2",
    ];
    for (i, sql) in tampering.into_iter().enumerate() {
        let tx = rusqlite::Connection::open(&f.location.db).unwrap();
        tx.execute_batch(&format!("BEGIN; {sql};")).unwrap();
        // Read through the changed rows without committing them.
        let error = export_ledger(&tx, &store.secrets, &f.dir.join(format!("tampered-{i}")));
        assert!(error.is_err(), "{sql}: {error:?}");
        tx.execute_batch("ROLLBACK").unwrap();
    }
}

#[test]
fn the_service_does_not_start_on_a_ledger_whose_entries_do_not_link() {
    let f = Fixture::new("links");
    runtime().block_on(async {
        for minutes in [30, 20, 10] {
            assert_eq!(
                f.register("AB-0000000001", "IN", &support::minutes_ago(minutes))
                    .await
                    .0,
                StatusCode::CREATED
            );
        }
    });
    let options =
        loggningsindex_service::Options::new(f.location.clone(), "127.0.0.1:0".parse().unwrap());
    assert!(loggningsindex_service::app(&options).is_ok());
    let conn = rusqlite::Connection::open(&f.location.db).unwrap();
    conn.execute("DELETE FROM entries WHERE seq = 2", [])
        .unwrap();
    let error = loggningsindex_service::app(&options).expect_err("refused");
    assert!(error.to_string().contains("broken"), "{error}");
}
