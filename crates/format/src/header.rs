//! The header row: which column holds what (FORMATS.md).

use crate::error::{Error, Result};

/// Positions of the columns of an event CSV (FORMATS.md).
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
    /// How many fields every record must have.
    pub count: usize,
}

const REQUIRED: [&str; 5] = ["person", "company", "site", "timestamp", "direction"];

/// Trims the spaces and tabs FORMATS.md trims.
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
    /// after trimming; unknown columns ignored.
    ///
    /// # Errors
    ///
    /// [`Error::MissingColumns`] naming every required column not found;
    /// [`Error::DuplicateColumn`] if a known column appears twice.
    pub fn from_header(header: &csv::ByteRecord) -> Result<Columns> {
        let mut found: [Option<usize>; 6] = [None; 6];
        for (i, name) in header.iter().enumerate() {
            let name = String::from_utf8_lossy(trim(name)).to_ascii_lowercase();
            let slot = REQUIRED
                .iter()
                .chain(&["card"])
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
            ] => Ok(Columns {
                person,
                company,
                site,
                timestamp,
                direction,
                card,
                count: header.len(),
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
