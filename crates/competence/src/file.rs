//! The certificate and requirement files: CSV with a header, columns in any
//! order; bad rows rejected with line and reason, the rest loaded.

use std::io::Read;

use loggningsindex_format::{Reject, RejectReason, trim};
use time::Date;
use time::macros::format_description;

use crate::rules::{Certificate, Certificates, Requirement};
use crate::{Error, Result};

/// A small CSV file: which named columns are where, and its records.
struct Table<R: Read> {
    reader: csv::Reader<R>,
    at: Vec<Option<usize>>,
    width: usize,
}

impl<R: Read> Table<R> {
    fn open(input: R, file: &'static str, required: &[&str], optional: &[&str]) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut header = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut header).map_err(Error::csv)? {
            return Err(Error::MissingColumns {
                file,
                missing: required.join(", "),
            });
        }
        let names: Vec<String> = header
            .iter()
            .map(|f| {
                String::from_utf8_lossy(trim(f))
                    .trim_start_matches('\u{feff}')
                    .to_ascii_lowercase()
            })
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| find(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingColumns {
                file,
                missing: missing.join(", "),
            });
        }
        Ok(Table {
            reader,
            at: required.iter().chain(optional).map(|c| find(c)).collect(),
            width: names.len(),
        })
    }

    /// Each record: its line and its fields by column (trimmed; empty when
    /// the column is absent), or why it cannot be read.
    fn for_each(
        &mut self,
        mut row: impl FnMut(&[String]) -> std::result::Result<(), RejectReason>,
    ) -> Result<Vec<Reject>> {
        let mut rejects = Vec::new();
        let mut record = csv::ByteRecord::new();
        while self
            .reader
            .read_byte_record(&mut record)
            .map_err(Error::csv)?
        {
            let line = record.position().map_or(0, |p| p.line());
            let result = if record.len() != self.width {
                Err(RejectReason::FieldCount {
                    expected: self.width as u32,
                    found: record.len() as u32,
                })
            } else {
                let fields: Vec<String> = self
                    .at
                    .iter()
                    .map(|i| {
                        i.and_then(|i| record.get(i))
                            .map(|f| String::from_utf8_lossy(trim(f)).into_owned())
                            .unwrap_or_default()
                    })
                    .collect();
                row(&fields)
            };
            if let Err(reason) = result {
                rejects.push(Reject { line, reason });
            }
        }
        Ok(rejects)
    }
}

fn date(text: &str, column: &'static str) -> std::result::Result<Date, RejectReason> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| {
        RejectReason::Invalid {
            column,
            detail: "expected YYYY-MM-DD",
        }
    })
}

fn optional_date(
    text: &str,
    column: &'static str,
) -> std::result::Result<Option<Date>, RejectReason> {
    if text.is_empty() {
        Ok(None)
    } else {
        date(text, column).map(Some)
    }
}

fn required(text: &str, column: &'static str) -> std::result::Result<String, RejectReason> {
    if text.is_empty() {
        Err(RejectReason::Empty(column))
    } else if text.chars().any(char::is_control) {
        Err(RejectReason::ControlCharacter(column))
    } else {
        Ok(text.to_string())
    }
}

/// Reads a certificate file: `person`, `certificate`, `valid_from`,
/// `valid_to` (empty: no expiry), `issuer`.
///
/// # Errors
///
/// [`Error::MissingColumns`] or an I/O error; bad rows are returned as rejects.
pub fn load_certificates<R: Read>(input: R) -> Result<(Certificates, Vec<Reject>)> {
    let mut table = Table::open(
        input,
        "certificate",
        &["person", "certificate", "valid_from", "valid_to", "issuer"],
        &[],
    )?;
    let mut certificates = Certificates::default();
    let rejects = table.for_each(|f| {
        let valid_from = date(&f[2], "valid_from")?;
        let valid_to = optional_date(&f[3], "valid_to")?;
        if valid_to.is_some_and(|to| to < valid_from) {
            return Err(RejectReason::Invalid {
                column: "valid_to",
                detail: "before valid_from",
            });
        }
        certificates.insert(Certificate {
            person: required(&f[0], "person")?,
            code: required(&f[1], "certificate")?.to_ascii_uppercase(),
            valid_from,
            valid_to,
            issuer: f[4].clone(),
        });
        Ok(())
    })?;
    Ok((certificates, rejects))
}

/// Reads a requirements file: `site`, `certificate`, optional `from`, `to`
/// and `company`.
///
/// # Errors
///
/// [`Error::MissingColumns`] or an I/O error; bad rows are returned as rejects.
pub fn load_requirements<R: Read>(input: R) -> Result<(Vec<Requirement>, Vec<Reject>)> {
    let mut table = Table::open(
        input,
        "requirements",
        &["site", "certificate"],
        &["from", "to", "company"],
    )?;
    let mut requirements = Vec::new();
    let rejects = table.for_each(|f| {
        let (from, to) = (optional_date(&f[2], "from")?, optional_date(&f[3], "to")?);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(RejectReason::Invalid {
                column: "to",
                detail: "before from",
            });
        }
        requirements.push(Requirement {
            site: required(&f[0], "site")?,
            code: required(&f[1], "certificate")?.to_ascii_uppercase(),
            from,
            to,
            company: (!f[4].is_empty()).then(|| f[4].clone()),
        });
        Ok(())
    })?;
    Ok((requirements, rejects))
}
