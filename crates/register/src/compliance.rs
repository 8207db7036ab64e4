//! Checking a register of events against the card register: registrations
//! made with unknown, blocked, expired or not yet valid cards, per company.
//! A compliance figure shown next to the index, never mixed into it.

use std::collections::BTreeMap;
use std::io::Read;

use loggningsindex_bulk::{Columns, parse_timestamp, trim};
use loggningsindex_zone::Zone;

use crate::card::{CardNumber, Validity};
use crate::cards::{CardRegister, RowReject, read_header};
use crate::error::{Error, Result};

/// One registration made with a card that was not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Line in the event file.
    pub line: u64,
    /// The company of the event.
    pub company: String,
    /// The card as written.
    pub card: String,
    /// Why it was not valid.
    pub reason: String,
}

/// Per company: registrations with a card, and how many of them were not valid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CompanyCompliance {
    /// Rows of the company that name a card.
    pub with_card: u64,
    /// Rows of the company that name no card.
    pub without_card: u64,
    /// Rows whose card was unknown, not yet valid, expired or blocked.
    pub invalid: u64,
}

/// The outcome of [`check_events`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Compliance {
    /// Per company, by id.
    pub companies: BTreeMap<String, CompanyCompliance>,
    /// Every registration with a card that was not valid, by line.
    pub findings: Vec<Finding>,
    /// Event rows that could not be read (line and reason).
    pub unreadable: Vec<RowReject>,
}

/// Checks every row of an event file that has a `card` column against the
/// card register, at the row's instant.
///
/// # Errors
///
/// A file without a header or without the required event columns.
pub fn check_events<R: Read>(input: R, cards: &CardRegister, zone: &Zone) -> Result<Compliance> {
    let Some((mut reader, mut record)) = read_header(input)? else {
        return Err(Error::Events(loggningsindex_bulk::Error::NoHeader));
    };
    let columns = Columns::from_header(&record).map_err(Error::Events)?;
    let mut offsets = zone.offsets();
    let mut out = Compliance::default();
    while reader.read_byte_record(&mut record).map_err(Error::csv)? {
        let line = record.position().map_or(0, |p| p.line());
        let text = |i: usize| String::from_utf8_lossy(trim(&record[i])).into_owned();
        if record.len() != columns.count {
            out.unreadable.push(RowReject {
                line,
                reason: "wrong field count".into(),
            });
            continue;
        }
        let company = text(columns.company);
        let card = columns.card.map(text).unwrap_or_default();
        let entry = out.companies.entry(company.clone()).or_default();
        if card.is_empty() {
            entry.without_card += 1;
            continue;
        }
        let at = match parse_timestamp(&text(columns.timestamp), &mut offsets) {
            Ok(at) => at,
            Err(e) => {
                out.unreadable.push(RowReject {
                    line,
                    reason: format!("bad timestamp: {}", e.as_str()),
                });
                continue;
            }
        };
        entry.with_card += 1;
        let validity = match card.parse::<CardNumber>() {
            Ok(number) => cards.validity(&number, at),
            Err(_) => Validity::Unknown,
        };
        if let Some(reason) = validity.reason() {
            entry.invalid += 1;
            out.findings.push(Finding {
                line,
                company,
                card,
                reason,
            });
        }
    }
    Ok(out)
}
