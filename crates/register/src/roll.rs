//! What an inspector asks of the register: who is here now, and the day's
//! shifts at a site — formed by the core's rules, corrections applied and marked.

use std::collections::BTreeMap;

use loggningsindex_core::{Class, Direction, Key, Timestamp, WINDOW_NANOS, shifts_of_key};
use time::Date;

use crate::error::{Error, Result};
use crate::ledger::{Action, Entry};

/// A registration after corrections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effective {
    /// Its ledger sequence number.
    pub seq: u64,
    /// Person, company, site.
    pub key: Key<String>,
    /// When (corrected, if a correction replaced it).
    pub at: Timestamp,
    /// Which way (corrected, if a correction replaced it).
    pub direction: Direction,
    /// Whether a correction changed it.
    pub corrected: bool,
}

/// The registrations as corrected: voided ones left out, replaced ones with
/// their new time and direction and marked. Corrections of one entry apply in
/// ledger order, so the last one wins: a void followed by a replacement
/// restores the registration with the replacement's time and direction.
///
/// # Errors
///
/// [`Error::NoSuchEntry`] for a correction that names no earlier
/// registration (a verified ledger has none).
pub fn effective(entries: &[(u64, Entry)]) -> Result<Vec<Effective>> {
    let mut registrations: BTreeMap<u64, &crate::ledger::Registration> = BTreeMap::new();
    let mut last_correction: BTreeMap<u64, &Action> = BTreeMap::new();
    for (seq, entry) in entries {
        match entry {
            Entry::Registration(r) => {
                registrations.insert(*seq, r);
            }
            Entry::Correction(c) => {
                if !registrations.contains_key(&c.corrects) {
                    return Err(Error::NoSuchEntry { entry: c.corrects });
                }
                last_correction.insert(c.corrects, &c.action);
            }
        }
    }
    let mut out = Vec::with_capacity(registrations.len());
    for (seq, r) in registrations {
        let (at, direction, corrected) = match last_correction.get(&seq) {
            Some(Action::Void) => continue,
            Some(Action::Replace { at, direction }) => (*at, *direction, true),
            None => (r.at, r.direction, false),
        };
        out.push(Effective {
            seq,
            key: Key::new(r.person.clone(), r.company.clone(), r.site.clone()),
            at,
            direction,
            corrected,
        });
    }
    Ok(out)
}

/// Someone checked in at a site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presence {
    /// The person.
    pub person: String,
    /// For which company.
    pub company: String,
    /// Since when.
    pub since: Timestamp,
}

/// Who is checked in at `site` at `at`: the people whose last registration
/// there at or before `at` is an `IN` no more than 13 hours old (after 13
/// hours the shift rules end the shift, so the person is no longer counted).
pub fn present(registrations: &[Effective], site: &str, at: Timestamp) -> Vec<Presence> {
    let mut last: BTreeMap<(&str, &str), &Effective> = BTreeMap::new();
    for r in registrations
        .iter()
        .filter(|r| r.key.site == site && r.at.unix_nanos() <= at.unix_nanos())
    {
        let slot = last
            .entry((r.key.person.as_str(), r.key.company.as_str()))
            .or_insert(r);
        if (r.at.unix_nanos(), r.direction) >= (slot.at.unix_nanos(), slot.direction) {
            *slot = r;
        }
    }
    last.into_iter()
        .filter(|(_, r)| {
            r.direction == Direction::In && at.unix_nanos() - r.at.unix_nanos() <= WINDOW_NANOS
        })
        .map(|((person, company), r)| Presence {
            person: person.into(),
            company: company.into(),
            since: r.at,
        })
        .collect()
}

/// One shift of the day's register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayShift {
    /// The person.
    pub person: String,
    /// For which company.
    pub company: String,
    /// The first registration.
    pub start: Timestamp,
    /// The last registration.
    pub end: Timestamp,
    /// How it was logged.
    pub class: Class,
    /// Registrations in it.
    pub registrations: usize,
    /// Whether any of them was corrected.
    pub corrected: bool,
}

/// The register of `site` for work day `date`: each person's shifts (formed by
/// the core's rules from the corrected registrations), by person.
pub fn day(registrations: &[Effective], site: &str, date: Date) -> Vec<DayShift> {
    let mut keys: BTreeMap<&Key<String>, Vec<&Effective>> = BTreeMap::new();
    for r in registrations.iter().filter(|r| r.key.site == site) {
        keys.entry(&r.key).or_default().push(r);
    }
    let mut out = Vec::new();
    for (key, mut events) in keys {
        events.sort_by_key(|e| {
            (
                e.at.unix_nanos(),
                e.direction,
                e.at.offset().whole_seconds(),
            )
        });
        let mut taps: Vec<(Timestamp, Direction)> =
            events.iter().map(|e| (e.at, e.direction)).collect();
        let mut next = 0;
        for shift in shifts_of_key(key.clone(), &mut taps) {
            let members = &events[next..next + shift.len];
            next += shift.len;
            if shift.work_day == date {
                out.push(DayShift {
                    person: key.person.clone(),
                    company: key.company.clone(),
                    start: shift.first,
                    end: shift.last,
                    class: shift.class,
                    registrations: shift.len,
                    corrected: members.iter().any(|e| e.corrected),
                });
            }
        }
    }
    out
}
