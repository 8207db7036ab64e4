//! Checking a register of events against the card register: registrations
//! made with unknown, blocked, expired or not yet valid cards, per company.
//! A compliance figure shown next to the index, never mixed into it.

use std::collections::BTreeMap;
use std::io::Read;

use loggningsindex_format::{EventReader, Next, Reject};
use loggningsindex_zone::Zone;

use loggningsindex_pseudonym::{Domain, same_identity};
use time::Date;

use crate::card::{Card, CardNumber, Validity};
use crate::cards::CardRegister;
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
    pub unreadable: Vec<Reject>,
}

/// Checks every row of an event file that has a `card` column against the
/// card register, at the row's instant: the card must be valid then, used by
/// its holder, for the company that issued it. Rows are read as every reader of the
/// event format reads them: a row that `compute` would reject is listed in
/// [`Compliance::unreadable`] with the same reason.
///
/// # Errors
///
/// A file without a header, without the required event columns, or without
/// a `card` column ([`Error::NoCardColumn`]).
pub fn check_events<R: Read>(input: R, cards: &CardRegister, zone: &Zone) -> Result<Compliance> {
    let mut reader = EventReader::new(input, zone).map_err(Error::Events)?;
    if reader.columns().card.is_none() {
        return Err(Error::NoCardColumn);
    }
    let mut out = Compliance::default();
    // Ten-digit personnummer on a card and in a row are compared as of today.
    let reference = time::OffsetDateTime::now_utc().date();
    loop {
        let row = match reader.next_row().map_err(Error::Events)? {
            Next::End => break,
            Next::Rejected(reject) => {
                out.unreadable.push(reject);
                continue;
            }
            Next::Row(row) => row,
        };
        let entry = out.companies.entry(row.company.to_string()).or_default();
        let Some(card) = row.card else {
            entry.without_card += 1;
            continue;
        };
        entry.with_card += 1;
        let number = card.parse::<CardNumber>().ok();
        let validity = number.map_or(Validity::Unknown, |n| cards.validity(&n, row.at));
        let misuse = number
            .and_then(|n| cards.get(&n))
            .and_then(|c| misuse(c, row.person, row.company, reference));
        if let Some(reason) = validity.reason().or(misuse) {
            entry.invalid += 1;
            out.findings.push(Finding {
                line: row.line,
                company: row.company.to_string(),
                card: card.to_string(),
                reason,
            });
        }
    }
    Ok(out)
}

/// Why a valid card was misused: used by someone other than its holder, or
/// for a company other than the one that issued it. Ids are compared as
/// identity numbers (any spelling of one number is the same), others as
/// written.
fn misuse(card: &Card, person: &str, company: &str, reference: Date) -> Option<String> {
    if !same_identity(Domain::Person, &card.holder, person, reference) {
        Some("used by someone other than its holder".into())
    } else if !same_identity(Domain::Company, &card.company, company, reference) {
        Some("used for a company other than its issuer".into())
    } else {
        None
    }
}
