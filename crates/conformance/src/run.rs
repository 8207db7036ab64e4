//! Running an implementation on a vector.

use std::process::Command;

use crate::Vector;
use crate::diff::json_diff;

/// `text` quoted for `sh` (single quotes; an inner `'` as `'\''`).
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Runs `command` (a shell command line in which `{input}` stands for the
/// vector's event file) and compares what it prints with the expected result.
///
/// # Errors
///
/// The differences, one line each: the command failed, printed something
/// other than JSON, or printed a different result.
pub fn run_vector(vector: &Vector, command: &str) -> Result<(), Vec<String>> {
    let input = shell_quote(&vector.input().display().to_string());
    let line = command.replace("{input}", &input);
    let output = Command::new("sh")
        .arg("-c")
        .arg(&line)
        .output()
        .map_err(|e| vec![format!("cannot run `{line}`: {e}")])?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("");
        return Err(vec![format!(
            "`{line}` exited with {}: {first}",
            output.status
        )]);
    }
    let got: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| vec![format!("the output is not JSON: {e}")])?;
    let expected = vector.expected_json().map_err(|e| vec![e.to_string()])?;
    let expected: serde_json::Value =
        serde_json::from_str(&expected).map_err(|e| vec![format!("expected.json: {e}")])?;
    let diff = json_diff(&expected, &got);
    if diff.is_empty() { Ok(()) } else { Err(diff) }
}
