//! Making text from the input safe in outputs people open: spreadsheets that
//! would evaluate a formula, and Markdown tables that a `|` or a line break
//! would split.

use std::borrow::Cow;

/// A text cell for CSV that a spreadsheet will show, not evaluate. A cell
/// that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a
/// formula to Excel, LibreOffice and Google Sheets; such a cell gets a leading
/// `'`, which they show as text. Every other cell is unchanged, so ids like
/// `556677-8899` or `p_3fa…` read back exactly.
///
/// ```
/// use loggningsindex_report::spreadsheet_cell;
///
/// assert_eq!(spreadsheet_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(spreadsheet_cell("-2+3"), "'-2+3");
/// assert_eq!(spreadsheet_cell("556677-8899"), "556677-8899");
/// ```
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// A text cell for a Markdown table: `|` escaped, `<`, `>` and `&` as HTML
/// entities (so no tag is ever rendered), and any line break or other control
/// character as a space, so a cell can never start a new row.
///
/// ```
/// use loggningsindex_report::markdown_cell;
///
/// assert_eq!(markdown_cell("a|b\n| x |"), "a\\|b \\| x \\|");
/// assert_eq!(markdown_cell("<script>"), "&lt;script&gt;");
/// ```
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
