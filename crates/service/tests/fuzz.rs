//! Any request at all gets an answer below 500: arbitrary methods, paths,
//! tokens, headers and bodies (some of them nearly valid) never reach a
//! panic or a server error.

mod support;

use proptest::prelude::*;
use support::{Fixture, minutes_ago};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Bodies: random bytes, random JSON-ish text, and valid bodies with one
/// field replaced.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let field = prop_oneof![
        Just("card".to_string()),
        Just("site".to_string()),
        Just("direction".to_string()),
        Just("at".to_string()),
        Just("origin".to_string()),
        Just("reason".to_string()),
        "[a-z]{1,8}",
    ];
    let value = prop_oneof![
        Just("\"AB-0000000001\"".to_string()),
        Just("\"BPL-1\"".to_string()),
        Just("\"IN\"".to_string()),
        Just(format!("\"{}\"", minutes_ago(3))),
        Just("\"lost\"".to_string()),
        Just("null".to_string()),
        Just("1e999".to_string()),
        Just("-0".to_string()),
        Just("\"\\u0000\"".to_string()),
        Just("\"9999-12-31T23:59:59+14:00\"".to_string()),
        Just("\"-9999-01-01T00:00:00Z\"".to_string()),
        Just("[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]".to_string()),
        "\"[^\"\\\\]{0,30}\"",
        any::<i64>().prop_map(|n| n.to_string()),
    ];
    let base = [
        ("card", "\"AB-0000000001\"".to_string()),
        ("site", "\"BPL-1\"".to_string()),
        ("direction", "\"OUT\"".to_string()),
        ("at", format!("\"{}\"", minutes_ago(3))),
    ];
    let nearly_valid = (prop::option::of((0usize..4, value.clone()))).prop_map(move |change| {
        let mut fields = base.clone();
        if let Some((i, v)) = change {
            fields[i].1 = v;
        }
        let inner: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", inner.join(",")).into_bytes()
    });
    prop_oneof![
        nearly_valid,
        prop::collection::vec(any::<u8>(), 0..300),
        prop::collection::vec((field, value), 0..7).prop_map(|fields| {
            let inner: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{{}}}", inner.join(",")).into_bytes()
        }),
    ]
}

/// A route's method and path, mostly with a segment that matters.
fn requests() -> impl Strategy<Value = (&'static str, String)> {
    let segment = prop_oneof![
        Just("AB-0000000001".to_string()),
        Just("BPL-1".to_string()),
        Just("556677-8899".to_string()),
        Just("%00".to_string()),
        Just("..".to_string()),
        "[a-zA-Z0-9%._~-]{0,20}",
    ];
    let query = prop_oneof![
        Just(String::new()),
        Just("?at=2026-03-02T07:00:00%2B01:00".to_string()),
        Just("?from=2026-01-01&to=2026-12-31".to_string()),
        Just("?from=2026-12-31&to=2026-01-01".to_string()),
        Just("?from=-99999-01-01&to=99999-12-31".to_string()),
        "\\?[a-z=&%0-9]{0,20}",
    ];
    (0usize..6, segment, query).prop_map(|(shape, s, q)| match shape {
        0 => ("POST", "/v1/registrations".to_string()),
        1 => ("GET", format!("/v1/cards/{s}{q}")),
        2 => ("POST", format!("/v1/cards/{s}/block")),
        3 => ("GET", format!("/v1/sites/{s}/present{q}")),
        4 => ("GET", format!("/v1/companies/{s}/index{q}")),
        _ => ("GET", format!("/{s}{q}")),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_request_gets_a_server_error(
        (method, path) in requests(),
        other_method in prop::option::weighted(0.1, prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE")]),
        token in prop::option::weighted(0.2, 0usize..5),
        idempotency in prop::option::of("[ -~]{0,300}"),
        accept in prop::option::of(prop_oneof![Just("text/html"), Just("*/*"), Just("application/json")]),
        body in bodies(),
    ) {
        let f = fixture();
        let method = other_method.unwrap_or(method);
        // Mostly the token the route wants, so that requests get past it.
        let token = match token {
            None if path.contains("present") => Some(f.inspector.as_str()),
            None if path.contains("/block") || path.contains("/index") => Some(f.company.as_str()),
            None => Some(f.terminal.as_str()),
            Some(i) => [None, Some(f.terminal.as_str()), Some(f.inspector.as_str()), Some(f.company.as_str()), Some("li_x")][i],
        };
        let mut headers = Vec::new();
        if let Some(key) = &idempotency {
            headers.push(("idempotency-key", key.as_str()));
        }
        if let Some(accept) = accept {
            headers.push(("accept", accept));
        }
        let (status, _, answer) = runtime().block_on(f.send(method, &path, token, &headers, body));
        prop_assert!(status.as_u16() < 500, "{method} {path}: {status} {}", String::from_utf8_lossy(&answer));
        if !status.is_success() {
            let answer: serde_json::Value = serde_json::from_slice(&answer)
                .map_err(|e| TestCaseError::fail(format!("{status}: not JSON: {e}")))?;
            prop_assert!(answer["error"].is_string());
        }
    }
}

/// One fixture for all cases (a database per case would only be slower).
fn fixture() -> &'static Fixture {
    static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(|| Fixture::new("fuzz"))
}
