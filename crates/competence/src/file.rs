//! The certificate and requirement files: CSV with a header, columns in any
//! order; bad rows rejected with line and reason, the rest loaded.

use std::io::Read;

use loggningsindex_format::{Reject, RejectReason, Table};
use time::Date;
use time::macros::format_description;

use crate::rules::{Certificate, Certificates, Requirement};
use crate::{Error, Result};

/// Opens a table, naming the file in a missing-columns error.
fn open<R: Read>(
    input: R,
    file: &'static str,
    required: &[&str],
    optional: &[&str],
) -> Result<Table<R>> {
    Table::open(input, required, optional).map_err(|e| match e {
        loggningsindex_format::Error::MissingColumns { missing } => Error::MissingColumns {
            file,
            missing: missing.join(", "),
        },
        loggningsindex_format::Error::NoHeader => Error::MissingColumns {
            file,
            missing: required.join(", "),
        },
        other => Error::Io {
            message: other.to_string(),
        },
    })
}

fn io(e: loggningsindex_format::Error) -> Error {
    Error::Io {
        message: e.to_string(),
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
    let mut table = open(
        input,
        "certificate",
        &["person", "certificate", "valid_from", "valid_to", "issuer"],
        &[],
    )?;
    let mut certificates = Certificates::default();
    let rejects = table
        .for_each(|f| {
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
        })
        .map_err(io)?;
    Ok((certificates, rejects))
}

/// Reads a requirements file: `site`, `certificate`, optional `from`, `to`
/// and `company`.
///
/// # Errors
///
/// [`Error::MissingColumns`] or an I/O error; bad rows are returned as rejects.
pub fn load_requirements<R: Read>(input: R) -> Result<(Vec<Requirement>, Vec<Reject>)> {
    let mut table = open(
        input,
        "requirements",
        &["site", "certificate"],
        &["from", "to", "company"],
    )?;
    let mut requirements = Vec::new();
    let rejects = table
        .for_each(|f| {
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
        })
        .map_err(io)?;
    Ok((requirements, rejects))
}
