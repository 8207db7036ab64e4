//! The HTTP contract, called in-process: status codes, tokens and scopes,
//! idempotency, cards, the present list, the index, the ledger export.

mod support;

use axum::http::StatusCode;
use loggningsindex_register::ledger;
use serde_json::Value;
use support::{Fixture, body, minutes_ago};

#[tokio::test]
async fn a_registration_is_stored_once_per_idempotency_key_and_verifies_in_the_export() {
    let f = Fixture::new("flow");
    let request = body("AB-0000000001", "BPL-1", "IN", &minutes_ago(5));
    let idem = [("idempotency-key", "terminal-7/0001")];
    let (status, headers, first) = f
        .send(
            "POST",
            "/v1/registrations",
            Some(&f.terminal),
            &idem,
            request.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(headers.get("idempotent-replayed").is_none());
    let first: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(first["entry"], 1);

    let (status, headers, again) = f
        .send(
            "POST",
            "/v1/registrations",
            Some(&f.terminal),
            &idem,
            request,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(serde_json::from_slice::<Value>(&again).unwrap(), first);

    let other = body("AB-0000000002", "BPL-1", "IN", &minutes_ago(5));
    let (status, _, error) = f
        .send(
            "POST",
            "/v1/registrations",
            Some(&f.terminal),
            &idem,
            other.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&error).contains("Idempotency-Key already used"));

    let (status, second) = f
        .json("POST", "/v1/registrations", Some(&f.terminal), &other)
        .await;
    assert_eq!(
        (status, second["entry"].as_u64()),
        (StatusCode::CREATED, Some(2))
    );

    let store =
        loggningsindex_service::Store::open(&f.location, time::OffsetDateTime::now_utc().date())
            .unwrap();
    let path = f.dir.join("export.ledger");
    let head = loggningsindex_service::export_ledger(&store.conn, &store.secrets, &path).unwrap();
    assert_eq!(head.seq, 2);
    let published = format!("1:{}", first["head"].as_str().unwrap());
    assert_eq!(ledger::verify(&path, Some(&published)).unwrap(), head);
    assert_eq!(head.hash, second["head"].as_str().unwrap());
    let (entries, _) = ledger::read(&path).unwrap();
    let ledger::Entry::Registration(r) = &entries[0].1 else {
        panic!("a registration")
    };
    assert_eq!(
        (r.person.as_str(), r.company.as_str(), r.site.as_str()),
        ("198112189876", "556677-8899", "BPL-1")
    );
    assert!(r.salt.as_ref().is_some_and(|s| s.len() == 32));
}

#[tokio::test]
async fn a_token_sees_only_its_own_site_or_company() {
    let f = Fixture::new("scopes");
    let at = minutes_ago(1);
    let cases: Vec<(&str, String, Option<&str>, String, StatusCode)> = vec![
        (
            "POST",
            "/v1/registrations".into(),
            None,
            body("AB-0000000001", "BPL-1", "IN", &at),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "POST",
            "/v1/registrations".into(),
            Some("li_nonsense"),
            body("AB-0000000001", "BPL-1", "IN", &at),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "POST",
            "/v1/registrations".into(),
            Some(&f.other_terminal),
            body("AB-0000000001", "BPL-1", "IN", &at),
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/v1/registrations".into(),
            Some(&f.inspector),
            body("AB-0000000001", "BPL-1", "IN", &at),
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/v1/registrations".into(),
            Some(&f.company),
            body("AB-0000000001", "BPL-1", "IN", &at),
            StatusCode::FORBIDDEN,
        ),
        (
            "GET",
            "/v1/sites/BPL-1/present".into(),
            Some(&f.other_terminal),
            String::new(),
            StatusCode::FORBIDDEN,
        ),
        (
            "GET",
            "/v1/sites/BPL-1/present".into(),
            Some(&f.company),
            String::new(),
            StatusCode::FORBIDDEN,
        ),
        (
            "GET",
            "/v1/sites/BPL-1/present".into(),
            None,
            String::new(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "GET",
            "/v1/sites/BPL-1/present".into(),
            Some(&f.inspector),
            String::new(),
            StatusCode::OK,
        ),
        (
            "GET",
            "/v1/sites/BPL-1/present".into(),
            Some(&f.terminal),
            String::new(),
            StatusCode::OK,
        ),
        (
            "GET",
            "/v1/companies/556677-8899/index?from=2026-01-01&to=2026-12-31".into(),
            Some(&f.other_company),
            String::new(),
            StatusCode::FORBIDDEN,
        ),
        (
            "GET",
            "/v1/companies/556677-8899/index?from=2026-01-01&to=2026-12-31".into(),
            Some(&f.terminal),
            String::new(),
            StatusCode::FORBIDDEN,
        ),
        (
            "GET",
            "/v1/companies/556677-8899/index?from=2026-01-01&to=2026-12-31".into(),
            Some(&f.company),
            String::new(),
            StatusCode::OK,
        ),
        (
            "GET",
            "/v1/companies/5566778899/index?from=2026-01-01&to=2026-12-31".into(),
            Some(&f.company),
            String::new(),
            StatusCode::OK,
        ),
        (
            "GET",
            "/v1/cards/AB-0000000001".into(),
            None,
            String::new(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "GET",
            "/v1/cards/AB-0000000001".into(),
            Some(&f.other_company),
            String::new(),
            StatusCode::OK,
        ),
        (
            "POST",
            "/v1/cards/AB-0000000001/block".into(),
            Some(&f.other_company),
            r#"{"reason":"lost"}"#.into(),
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/v1/cards/AB-0000000001/block".into(),
            Some(&f.terminal),
            r#"{"reason":"lost"}"#.into(),
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/v1/cards/AB-0000009999/block".into(),
            Some(&f.company),
            r#"{"reason":"lost"}"#.into(),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (method, uri, token, request, expected) in cases {
        let (status, _, answer) = f.send(method, &uri, token, &[], request).await;
        assert_eq!(
            status,
            expected,
            "{method} {uri} with {token:?}: {}",
            String::from_utf8_lossy(&answer)
        );
        if !status.is_success() {
            let answer: Value = serde_json::from_slice(&answer).unwrap();
            assert!(answer["error"].is_string(), "{answer}");
        }
    }
}

#[tokio::test]
async fn cards_that_may_not_be_used_are_refused_and_a_block_takes_effect_at_once() {
    let f = Fixture::new("cards");
    let at = minutes_ago(2);
    for (card, reason) in [
        ("AB-0000009999", "unknown card"),
        ("AB-0000000004", "expired"),
        ("AB-0000000005", "not valid until"),
    ] {
        let (status, answer) = f.register(card, "IN", &at).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{card}");
        assert!(
            answer["error"].as_str().unwrap().contains(reason),
            "{answer}"
        );
    }
    assert_eq!(
        f.register("AB-0000000002", "IN", &at).await.0,
        StatusCode::CREATED
    );
    let (status, card) = f
        .json("GET", "/v1/cards/AB-0000000002", Some(&f.terminal), "")
        .await;
    assert_eq!(
        (status, card["status"].as_str()),
        (StatusCode::OK, Some("valid"))
    );
    assert!(
        card.get("holder").is_none() && !card.to_string().contains("0017"),
        "no identity: {card}"
    );

    let (status, blocked) = f
        .json(
            "POST",
            "/v1/cards/AB-0000000002/block",
            Some(&f.company),
            r#"{"reason":"stolen"}"#,
        )
        .await;
    assert_eq!(
        (status, blocked["status"].as_str()),
        (StatusCode::OK, Some("blocked"))
    );
    // The next registration is refused, even one a terminal dates before the block.
    let (status, answer) = f.register("AB-0000000002", "OUT", &minutes_ago(1)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .starts_with("blocked (stolen)"),
        "{answer}"
    );
    let (_, card) = f
        .json("GET", "/v1/cards/AB-0000000002", Some(&f.inspector), "")
        .await;
    assert_eq!(card["blocked"]["reason"], "stolen", "{card}");
}

#[tokio::test]
async fn bad_requests_get_a_clear_4xx() {
    let f = Fixture::new("bad");
    let big = format!(r#"{{"card":"{}"}}"#, "A".repeat(20_000));
    let cases: Vec<(String, StatusCode, &str)> = vec![
        (big, StatusCode::PAYLOAD_TOO_LARGE, "larger than"),
        ("{".into(), StatusCode::UNPROCESSABLE_ENTITY, "malformed"),
        ("[]".into(), StatusCode::UNPROCESSABLE_ENTITY, "malformed"),
        (
            body("AB-0000000001", "BPL-1", "IN", "2001-01-01T00:00:00Z"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "in the past",
        ),
        (
            body("AB-0000000001", "BPL-1", "IN", "2999-01-01T00:00:00Z"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "ahead",
        ),
        (
            body("AB-0000000001", "BPL-2", "IN", &minutes_ago(1)),
            StatusCode::FORBIDDEN,
            "another site",
        ),
        (
            format!(
                r#"{{"card":"AB-0000000001","site":"BPL-1","direction":"IN","at":"{}","person":"x"}}"#,
                minutes_ago(1)
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown field",
        ),
    ];
    for (request, expected, reason) in cases {
        let (status, answer) = f
            .json("POST", "/v1/registrations", Some(&f.terminal), &request)
            .await;
        assert_eq!(status, expected, "{answer}");
        assert!(
            answer["error"].as_str().unwrap().contains(reason),
            "{answer}"
        );
    }
    let (status, answer) = f
        .json(
            "GET",
            "/v1/sites/BPL-1/present?at=yesterday",
            Some(&f.inspector),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, _) = f
        .json(
            "GET",
            "/v1/companies/556677-8899/index?from=2026-02-01",
            Some(&f.company),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = f.json("GET", "/v1/nothing", Some(&f.company), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_present_list_names_who_is_in_as_json_or_html() {
    let f = Fixture::new("present");
    assert_eq!(
        f.register("AB-0000000001", "IN", &minutes_ago(60)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        f.register("AB-0000000002", "IN", &minutes_ago(50)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        f.register("AB-0000000002", "OUT", &minutes_ago(10)).await.0,
        StatusCode::CREATED
    );
    let (status, list) = f
        .json("GET", "/v1/sites/BPL-1/present", Some(&f.inspector), "")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["count"], 1);
    assert_eq!(list["present"][0]["name"], "Anna Andersson");
    assert_eq!(list["present"][0]["person"], "198112189876");
    assert_eq!(list["present"][0]["card"], "AB-0000000001");
    // Before Bo checked out, both were there.
    let uri = format!(
        "/v1/sites/BPL-1/present?at={}",
        minutes_ago(30).replace('+', "%2B")
    );
    let (_, earlier) = f.json("GET", &uri, Some(&f.inspector), "").await;
    assert_eq!(earlier["count"], 2, "{earlier}");

    let (status, headers, page) = f
        .send(
            "GET",
            "/v1/sites/BPL-1/present",
            Some(&f.inspector),
            &[("accept", "text/html")],
            "",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(headers["cache-control"], "no-store");
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains("<td>Anna Andersson</td>") && !page.contains("Bo Berg"),
        "{page}"
    );
}

#[test]
fn an_unknown_key_or_a_missing_one_does_not_open_the_database() {
    let f = Fixture::new("keys");
    let today = time::OffsetDateTime::now_utc().date();
    let other_key = f.dir.join("other.key");
    loggningsindex_pseudonym::Key::write_new(&other_key).unwrap();
    let wrong = loggningsindex_service::Location::new(&f.location.db, Some(&other_key));
    assert_eq!(
        loggningsindex_service::Store::open(&wrong, today).err(),
        Some(loggningsindex_service::Error::WrongKey)
    );
    let missing =
        loggningsindex_service::Location::new(&f.location.db, Some(&f.dir.join("gone.key")));
    assert!(matches!(
        loggningsindex_service::Store::open(&missing, today).err(),
        Some(loggningsindex_service::Error::KeyMissing { .. })
    ));
    assert!(
        !f.dir.join("gone.key").exists(),
        "no new key is made for a database that has one"
    );
}

#[tokio::test]
async fn a_revoked_token_is_refused() {
    let f = Fixture::new("revoke");
    assert_eq!(
        f.register("AB-0000000001", "IN", &minutes_ago(3)).await.0,
        StatusCode::CREATED
    );
    let store =
        loggningsindex_service::Store::open(&f.location, time::OffsetDateTime::now_utc().date())
            .unwrap();
    loggningsindex_service::revoke_token(&store.conn, &f.terminal).unwrap();
    assert!(loggningsindex_service::revoke_token(&store.conn, &f.terminal).is_err());
    let (status, answer) = f.register("AB-0000000001", "OUT", &minutes_ago(2)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
}

#[test]
fn a_database_of_the_first_schema_is_migrated_and_keeps_its_data() {
    let f = Fixture::new("migrate");
    let conn = rusqlite::Connection::open(&f.location.db).unwrap();
    // Back to version 1, as a database written by the first release.
    conn.execute_batch("ALTER TABLE tokens DROP COLUMN revoked; PRAGMA user_version = 1;")
        .unwrap();
    drop(conn);
    let store =
        loggningsindex_service::Store::open(&f.location, time::OffsetDateTime::now_utc().date())
            .unwrap();
    let version: i64 = store
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, loggningsindex_service::SCHEMA_VERSION);
    assert!(
        loggningsindex_service::tokens::authenticate(&store.conn, &f.inspector)
            .unwrap()
            .is_some()
    );
    store
        .conn
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    drop(store);
    assert!(matches!(
        loggningsindex_service::Store::open(&f.location, time::OffsetDateTime::now_utc().date()),
        Err(loggningsindex_service::Error::NewerSchema { found: 99, .. })
    ));
}
