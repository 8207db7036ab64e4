//! Where two results differ.

use serde_json::Value;

/// Every place where `got` differs from `expected`, as `path: expected X, got
/// Y` lines. Fields `got` has beyond the expected ones are allowed (results
/// may grow fields); numbers compare by value, so `55.6` and `55.60` agree.
///
/// ```
/// use loggningsindex_conformance::json_diff;
/// use serde_json::json;
///
/// let want = json!({"totals": {"shifts": 2, "index": 50.0}});
/// let got = json!({"totals": {"shifts": 2, "index": 100.0, "extra": 1}});
/// assert_eq!(json_diff(&want, &got), ["totals.index: expected 50.0, got 100.0"]);
/// ```
pub fn json_diff(expected: &Value, got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("", expected, got, &mut out);
    out
}

fn walk(path: &str, expected: &Value, got: &Value, out: &mut Vec<String>) {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (expected, got) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                match have.get(key) {
                    Some(other) => walk(&at(key), value, other, out),
                    None => out.push(format!("{}: missing", at(key))),
                }
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            for (i, (a, b)) in want.iter().zip(have).enumerate() {
                walk(&format!("{path}[{i}]"), a, b, out);
            }
            if want.len() != have.len() {
                out.push(format!(
                    "{path}: expected {} entries, got {}",
                    want.len(),
                    have.len()
                ));
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: expected {a}, got {b}")),
    }
}
