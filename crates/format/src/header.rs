//! The header row: which column holds what (docs/formats.md).

use crate::error::{Error, Result};

/// Positions of the columns of an event CSV (docs/formats.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    /// `person`
    pub person: usize,
    /// `company`
    pub company: usize,
    /// `site`
    pub site: usize,
    /// `timestamp`
    pub timestamp: usize,
    /// `direction`
    pub direction: usize,
    /// `card`, if present.
    pub card: Option<usize>,
    /// `origin`, if present.
    pub origin: Option<usize>,
    /// How many fields every record must have.
    pub count: usize,
    /// The field delimiter the header was split with.
    pub delimiter: u8,
}

const REQUIRED: [&str; 5] = ["person", "company", "site", "timestamp", "direction"];
const OPTIONAL: [&str; 2] = ["card", "origin"];

/// The delimiters a header is tried with, in order of preference.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter a header line is written with: of `,` `;` tab and `|`, the one
/// that splits it into the most known column names (ties go to the earlier;
/// a header naming none gives `,`). Swedish spreadsheets write `;`.
///
/// ```
/// use loggningsindex_format::detect_delimiter;
///
/// assert_eq!(detect_delimiter(b"person;company;site;timestamp;direction\r\n"), b';');
/// assert_eq!(detect_delimiter(b"person\tcompany\tsite\ttimestamp\tdirection"), b'\t');
/// assert_eq!(detect_delimiter(b"person,company,site,timestamp,direction"), b',');
/// ```
pub fn detect_delimiter(header_line: &[u8]) -> u8 {
    let line = header_line
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default();
    let known = |delimiter: u8| {
        line.split(|&b| b == delimiter)
            .filter(|name| {
                let name = String::from_utf8_lossy(trim(name))
                    .trim_matches(|c| c == '"' || c == '\r' || c == '\u{feff}')
                    .to_ascii_lowercase();
                REQUIRED.iter().chain(&OPTIONAL).any(|k| *k == name)
            })
            .count()
    };
    let mut best = (0, b',');
    for delimiter in DELIMITERS {
        let n = known(delimiter);
        if n > best.0 {
            best = (n, delimiter);
        }
    }
    best.1
}

/// Refuses input that is not UTF-8 text, by its first bytes: a UTF-16
/// byte-order mark or NUL bytes (UTF-16 without one), or a header that is not
/// valid UTF-8 (Latin-1 or Windows-1252, as older Windows programs write).
///
/// # Errors
///
/// [`Error::Encoding`] saying which, and how to fix it.
pub fn check_encoding(start: &[u8]) -> Result<()> {
    let utf16 = start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF");
    let line = start.split(|&b| b == b'\n').next().unwrap_or_default();
    if utf16 || line.contains(&0) {
        return Err(Error::Encoding { found: "UTF-16" });
    }
    let complete = line.len() < start.len();
    match std::str::from_utf8(line) {
        Ok(_) => Ok(()),
        // A character cut at the end of what was read is not an error.
        Err(e) if !complete && e.error_len().is_none() => Ok(()),
        Err(_) => Err(Error::Encoding {
            found: "not UTF-8 (Latin-1 or Windows-1252?)",
        }),
    }
}

/// Trims the spaces and tabs docs/formats.md trims.
pub fn trim(field: &[u8]) -> &[u8] {
    let start = field
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(field.len());
    let end = field
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |i| i + 1);
    &field[start..end]
}

impl Columns {
    /// Finds the columns in a header record: names matched case-insensitively
    /// after trimming; unknown columns ignored. The delimiter is taken to be
    /// `,`; readers that detected another set [`Columns::delimiter`].
    ///
    /// # Errors
    ///
    /// [`Error::MissingColumns`] naming every required column not found;
    /// [`Error::DuplicateColumn`] if a known column appears twice.
    pub fn from_header(header: &csv::ByteRecord) -> Result<Columns> {
        let mut found: [Option<usize>; 7] = [None; 7];
        for (i, name) in header.iter().enumerate() {
            let name = String::from_utf8_lossy(trim(name)).to_ascii_lowercase();
            let slot = REQUIRED
                .iter()
                .chain(&OPTIONAL)
                .position(|known| *known == name);
            if let Some(slot) = slot {
                if found[slot].is_some() {
                    return Err(Error::DuplicateColumn { name });
                }
                found[slot] = Some(i);
            }
        }
        let missing: Vec<String> = REQUIRED
            .iter()
            .zip(&found)
            .filter(|(_, f)| f.is_none())
            .map(|(name, _)| (*name).to_string())
            .collect();
        match found {
            [
                Some(person),
                Some(company),
                Some(site),
                Some(timestamp),
                Some(direction),
                card,
                origin,
            ] => Ok(Columns {
                person,
                company,
                site,
                timestamp,
                direction,
                card,
                origin,
                count: header.len(),
                delimiter: b',',
            }),
            _ => Err(Error::MissingColumns { missing }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(fields: &[&str]) -> csv::ByteRecord {
        csv::ByteRecord::from(fields.to_vec())
    }

    #[test]
    fn names_are_case_insensitive_trimmed_and_in_any_order() {
        let cols = Columns::from_header(&header(&[
            " Direction",
            "TIMESTAMP\t",
            "x",
            "site",
            "Company",
            "person",
        ]))
        .unwrap();
        assert_eq!((cols.person, cols.company, cols.site), (5, 4, 3));
        assert_eq!(
            (cols.timestamp, cols.direction, cols.card, cols.count),
            (1, 0, None, 6)
        );
    }

    #[test]
    fn missing_and_duplicate_columns_are_named() {
        assert_eq!(
            Columns::from_header(&header(&["person", "site", "card"])),
            Err(Error::MissingColumns {
                missing: vec!["company".into(), "timestamp".into(), "direction".into()]
            })
        );
        assert_eq!(
            Columns::from_header(&header(&["person", "PERSON"])),
            Err(Error::DuplicateColumn {
                name: "person".into()
            })
        );
    }

    #[test]
    fn trim_spaces_and_tabs_only() {
        assert_eq!(trim(b" \t a b \t"), b"a b");
        assert_eq!(trim(b"   "), b"");
        assert_eq!(trim(b"\x0ba\x0b"), b"\x0ba\x0b");
    }
}
