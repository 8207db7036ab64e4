//! What the service reads: who is present at a site, and a company's index.

use std::collections::BTreeMap;

use loggningsindex_core::{
    Direction, Event, Key, Origin, Summary, Timestamp, WINDOW_NANOS, summarize,
};
use loggningsindex_format::Records;
use loggningsindex_register::ledger::Entry;
use loggningsindex_register::{effective, present};
use loggningsindex_report::Report;
use rusqlite::{Connection, params};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, UtcOffset};

use crate::cards;
use crate::error::{Error, Result};
use crate::secrets::Secrets;

/// One person present at a site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PresentPerson {
    /// Their identity number, as on the card.
    pub person: String,
    /// Their name, as in the card register (empty if it gives none).
    pub name: String,
    /// The company they work for.
    pub company: String,
    /// The card of their last check-in.
    pub card: String,
    /// When they checked in (RFC 3339).
    pub since: String,
}

/// Who is present at a site at an instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PresentList {
    /// The site.
    pub site: String,
    /// The instant asked about (RFC 3339).
    pub at: String,
    /// How many people.
    pub count: usize,
    /// The people, by company and then name.
    pub present: Vec<PresentPerson>,
}

/// An instant as RFC 3339 with its offset.
pub(crate) fn rfc3339(at: Timestamp) -> String {
    at.to_offset_datetime()
        .format(&Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

fn opened(secrets: &Secrets, seq: i64, sealed: &[u8]) -> Result<Entry> {
    serde_json::from_slice(&secrets.open(&seq.to_string(), sealed)?).map_err(|_| Error::Sealed)
}

/// The people whose last registration at `site` at or before `at` is a
/// check-in no more than 13 hours old (the shift window: after it a shift
/// has ended, check-out or not). Only the registrations of those 13 hours
/// are opened.
///
/// # Errors
///
/// A database error, or a sealed value that does not open.
pub fn present_at(
    conn: &Connection,
    secrets: &Secrets,
    site: &str,
    at: Timestamp,
) -> Result<PresentList> {
    let mut query = conn.prepare_cached(
        "SELECT seq, sealed FROM entries WHERE site = ?1 AND at_nanos BETWEEN ?2 AND ?3 ORDER BY seq",
    )?;
    let rows = query.query_map(
        params![site, at.unix_nanos() - WINDOW_NANOS, at.unix_nanos()],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)),
    )?;
    let mut entries = Vec::new();
    let mut cards_of = BTreeMap::new();
    for row in rows {
        let (seq, sealed) = row?;
        let entry = opened(secrets, seq, &sealed)?;
        if let Entry::Registration(r) = &entry {
            cards_of.insert(
                (r.person.clone(), r.company.clone(), r.at.unix_nanos()),
                r.card.clone(),
            );
        }
        entries.push((seq as u64, entry));
    }
    let registrations = effective(&entries)?;
    let mut people = Vec::new();
    for p in present(&registrations, site, at) {
        let card = cards_of
            .get(&(p.person.clone(), p.company.clone(), p.since.unix_nanos()))
            .cloned()
            .unwrap_or_default();
        let name = match card.parse() {
            Ok(number) => cards::load(conn, secrets, &number)?.map(|c| c.card.name),
            Err(_) => None,
        };
        people.push(PresentPerson {
            person: p.person,
            name: name.unwrap_or_default(),
            company: p.company,
            card,
            since: rfc3339(p.since),
        });
    }
    people.sort_by(|a, b| (&a.company, &a.name, &a.person).cmp(&(&b.company, &b.name, &b.person)));
    Ok(PresentList {
        site: site.to_string(),
        at: rfc3339(at),
        count: people.len(),
        present: people,
    })
}

/// A day's bounds widened by the largest UTC offsets, in Unix nanoseconds.
fn widened(from: Date, to: Date) -> (i64, i64) {
    let day = 86_400_000_000_000_i64;
    let start = from.midnight().assume_utc().unix_timestamp() as i128 * 1_000_000_000;
    let end = to.midnight().assume_utc().unix_timestamp() as i128 * 1_000_000_000 + day as i128;
    let slack = 26 * 3_600_000_000_000_i128;
    let clamp = |n: i128| n.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    (clamp(start - slack), clamp(end + slack))
}

/// The index of the company with reference `company_ref`, from its
/// registrations whose local date (Swedish time) is in `from..=to`, computed as `compute` computes it on those registrations as
/// an event file. People are counted by their references, which are keyed
/// pseudonyms: no identity is opened. The company is shown as `company`.
///
/// # Errors
///
/// A database error.
pub fn company_index(
    conn: &Connection,
    company_ref: &str,
    company: &str,
    from: Date,
    to: Date,
) -> Result<Report> {
    let (start, end) = widened(from, to);
    let mut query = conn.prepare_cached(
        "SELECT person_ref, site, at_nanos, offset_seconds, direction, origin FROM entries
         WHERE company_ref = ?1 AND at_nanos BETWEEN ?2 AND ?3 ORDER BY seq",
    )?;
    let rows = query.query_map(params![company_ref, start, end], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i32>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut events = Vec::new();
    let mut autos = Vec::new();
    for row in rows {
        let (person, site, nanos, offset, direction, origin) = row?;
        let offset = UtcOffset::from_whole_seconds(offset).map_err(|_| Error::Sealed)?;
        let at = Timestamp::new(nanos, offset);
        if !(from..=to).contains(&at.local_date()) {
            continue;
        }
        if Origin::from_bytes(origin.as_bytes()) == Some(Origin::Auto) {
            autos.push((site, at.local_date()));
            continue;
        }
        let direction = if direction == "IN" {
            Direction::In
        } else {
            Direction::Out
        };
        events.push(Event::new(
            Key::new(person, company.to_string(), site),
            at,
            direction,
        ));
    }
    let rows = (events.len() + autos.len()) as u64;
    let mut summary: Summary<String> = summarize(&mut events);
    for (site, date) in autos {
        summary.add_auto(company.to_string(), site, date);
    }
    Ok(Report::new(
        Records {
            read: rows,
            accepted: rows,
            rejected: 0,
        },
        &summary,
    ))
}
