//! Certificates about to expire.

use std::collections::BTreeMap;
use std::io::Read;

use loggningsindex_core::Timestamp;
use loggningsindex_format::{EventReader, Next};
use loggningsindex_zone::Zone;
use time::{Date, Duration};

use crate::rules::{Certificate, Certificates};
use crate::{Error, Result};

/// The certificates valid on `at` whose last day lies within `days` days of
/// it (inclusive), soonest first.
pub fn expiring(certificates: &Certificates, at: Date, days: i64) -> Vec<&Certificate> {
    let until = days
        .checked_mul(86_400)
        .and_then(|s| at.checked_add(Duration::seconds(s)))
        .unwrap_or(Date::MAX);
    let mut out: Vec<&Certificate> = certificates
        .iter()
        .filter(|c| c.valid_on(at) && c.valid_to.is_some_and(|to| to <= until))
        .collect();
    out.sort_by(|a, b| (a.valid_to, &a.person, &a.code).cmp(&(b.valid_to, &b.person, &b.code)));
    out
}

/// The company each person last registered for in an event file (the
/// latest accepted event; ties to the company that sorts first).
///
/// # Errors
///
/// [`Error::Events`] for a file that is not an event file.
pub fn last_companies<R: Read>(events: R, zone: &Zone) -> Result<BTreeMap<String, String>> {
    let mut reader = EventReader::new(events, zone).map_err(Error::Events)?;
    let mut last: BTreeMap<String, (i64, std::cmp::Reverse<String>)> = BTreeMap::new();
    loop {
        match reader.next_row().map_err(Error::Events)? {
            Next::End => break,
            Next::Rejected(_) => {}
            Next::Row(row) => {
                let seen = (
                    Timestamp::unix_nanos(row.at),
                    std::cmp::Reverse(row.company.to_string()),
                );
                let entry = last.entry(row.person.to_string()).or_insert(seen.clone());
                if seen > *entry {
                    *entry = seen;
                }
            }
        }
    }
    Ok(last.into_iter().map(|(p, (_, c))| (p, c.0)).collect())
}
