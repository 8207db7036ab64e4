//! A service on a fresh database with cards and tokens, called in-process.
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use loggningsindex_cards::CardRegister;
use loggningsindex_service::{Location, Options, Role, Store, app, cards, create_token};
use loggningsindex_zone::Zone;
use serde_json::Value;
use time::OffsetDateTime;
use tower::ServiceExt;

/// The card register of the fixture: Anna and Bo at Bygg AB, Cilla at Måleri
/// AB, an expired card, a card not yet valid.
pub const CARDS: &str = "\
card,holder,company,valid_from,valid_to,name
AB-0000000001,198112189876,556677-8899,2020-01-01,2099-12-31,Anna Andersson
AB-0000000002,19900101-0017,556677-8899,2020-01-01,2099-12-31,Bo Berg
AB-0000000003,197001011233,559988-7766,2020-01-01,2099-12-31,Cilla Carlsson
AB-0000000004,198112189876,556677-8899,2020-01-01,2021-12-31,Anna Andersson
AB-0000000005,198112189876,556677-8899,2098-01-01,2099-12-31,Anna Andersson
";

/// Identity numbers, names and company numbers in [`CARDS`], in every spelling.
pub const SECRETS: &[&str] = &[
    "198112189876",
    "811218-9876",
    "8112189876",
    "19900101-0017",
    "199001010017",
    "9001010017",
    "197001011233",
    "Anna Andersson",
    "Andersson",
    "Bo Berg",
    "Cilla Carlsson",
    "556677-8899",
    "5566778899",
    "559988-7766",
    "5599887766",
];

pub struct Fixture {
    pub dir: PathBuf,
    /// Removes `dir` when the fixture drops.
    _scratch: tempfile::TempDir,
    pub location: Location,
    pub app: Router,
    /// Terminal at BPL-1.
    pub terminal: String,
    /// Terminal at BPL-2.
    pub other_terminal: String,
    /// Inspector at BPL-1.
    pub inspector: String,
    /// Bygg AB (556677-8899).
    pub company: String,
    /// Måleri AB (559988-7766).
    pub other_company: String,
}

/// A fresh temporary directory, removed when the guard drops. It lies in
/// cargo's scratch directory for integration tests (under `target/`), so a
/// fixture that lives as long as the process (a `static`) leaves nothing in
/// the system's temporary directory either.
pub fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("loggningsindex-service-{name}-"))
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
}

impl Fixture {
    pub fn new(name: &str) -> Fixture {
        Fixture::with(name, |_| {})
    }

    pub fn with(name: &str, adjust: impl FnOnce(&mut Options)) -> Fixture {
        let scratch = temp_dir(name);
        let dir = scratch.path().to_path_buf();
        let location = Location::new(&dir.join("register.db"), None);
        let mut store = Store::open(&location, OffsetDateTime::now_utc().date()).unwrap();
        let (register, rejects) = CardRegister::load(CARDS.as_bytes(), &Zone::stockholm()).unwrap();
        assert!(rejects.is_empty());
        let imported = cards::import(&mut store.conn, &store.secrets, &register).unwrap();
        assert_eq!(
            (imported.added, imported.refused.len()),
            (5, 0),
            "{imported:?}"
        );
        let token = |role, scope| create_token(&store.conn, &store.secrets, role, scope).unwrap();
        let fixture_tokens = (
            token(Role::Terminal, "BPL-1"),
            token(Role::Terminal, "BPL-2"),
            token(Role::Inspector, "BPL-1"),
            token(Role::Company, "556677-8899"),
            token(Role::Company, "559988-7766"),
        );
        drop(store);
        let mut options = Options::new(location.clone(), "127.0.0.1:0".parse().unwrap());
        adjust(&mut options);
        Fixture {
            app: app(&options).unwrap(),
            dir,
            _scratch: scratch,
            location,
            terminal: fixture_tokens.0,
            other_terminal: fixture_tokens.1,
            inspector: fixture_tokens.2,
            company: fixture_tokens.3,
            other_company: fixture_tokens.4,
        }
    }

    /// Sends a request; returns the status, the headers and the body.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), 1 << 24).await.unwrap();
        (status, headers, bytes.to_vec())
    }

    /// As [`Fixture::send`], the body parsed as JSON.
    pub async fn json(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: &str,
    ) -> (StatusCode, Value) {
        let (status, _, bytes) = self.send(method, uri, token, &[], body.to_string()).await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Registers a card at BPL-1 with the terminal token.
    pub async fn register(&self, card: &str, direction: &str, at: &str) -> (StatusCode, Value) {
        self.json(
            "POST",
            "/v1/registrations",
            Some(&self.terminal),
            &body(card, "BPL-1", direction, at),
        )
        .await
    }
}

/// A registration body.
pub fn body(card: &str, site: &str, direction: &str, at: &str) -> String {
    format!(r#"{{"card":"{card}","site":"{site}","direction":"{direction}","at":"{at}"}}"#)
}

/// Now, minus `minutes`, as RFC 3339 in Swedish winter time.
pub fn minutes_ago(minutes: i64) -> String {
    let at = OffsetDateTime::now_utc() - time::Duration::minutes(minutes);
    at.to_offset(time::macros::offset!(+1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}
