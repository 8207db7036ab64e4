//! Register faults of the kind ID06's own analysis flags: double
//! registrations. Counted per company beside the index, never in it.

use std::collections::BTreeMap;

use loggningsindex_core::Direction;
use serde::{Deserialize, Serialize};

use crate::ledger::{Entry, Registration};

/// How close two registrations must be to count as one doubled: a minute.
pub const DOUBLE_WINDOW_NANOS: i64 = 60 * 1_000_000_000;

/// A company's register faults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterFaults {
    /// Registrations.
    pub registrations: u64,
    /// An `IN` following an `IN` of the same person, company and site within a
    /// minute, with no `OUT` between, from another device.
    pub double_in: u64,
    /// The same registration stored twice: the same person, company, site,
    /// card, instant, direction and device.
    pub duplicate: u64,
}

/// The faults per company of a ledger's registrations (corrections are not
/// registrations and do not count; a voided duplicate still was stored).
///
/// ```
/// use loggningsindex_register::{faults, ledger::{Entry, Registration}};
/// use loggningsindex_core::{Direction, Timestamp};
/// use time::macros::datetime;
///
/// let reg = |t, device: &str| Entry::Registration(Registration {
///     person: "p1".into(), company: "c1".into(), site: "s".into(), card: String::new(),
///     at: Timestamp::from_offset_datetime(t).unwrap(), direction: Direction::In, device: device.into(),
///     origin: Default::default(), salt: None,
/// });
/// let entries = vec![
///     (1, reg(datetime!(2026-03-02 07:00:00 +01:00), "door-1")),
///     (2, reg(datetime!(2026-03-02 07:00:30 +01:00), "door-2")),
///     (3, reg(datetime!(2026-03-02 07:00:30 +01:00), "door-2")),
/// ];
/// let f = faults(&entries)["c1"];
/// assert_eq!((f.registrations, f.double_in, f.duplicate), (3, 1, 1));
/// ```
pub fn faults(entries: &[(u64, Entry)]) -> BTreeMap<String, RegisterFaults> {
    let mut by_key: BTreeMap<(&str, &str, &str), Vec<&Registration>> = BTreeMap::new();
    for (_, entry) in entries {
        if let Entry::Registration(r) = entry {
            by_key
                .entry((&r.person, &r.company, &r.site))
                .or_default()
                .push(r);
        }
    }
    let mut out: BTreeMap<String, RegisterFaults> = BTreeMap::new();
    for ((_, company, _), mut regs) in by_key {
        regs.sort_by_key(|r| {
            (
                r.at.unix_nanos(),
                r.direction,
                r.device.clone(),
                r.card.clone(),
            )
        });
        let f = out.entry(company.to_string()).or_default();
        f.registrations += regs.len() as u64;
        for pair in regs.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a == b {
                f.duplicate += 1;
            } else if a.direction == Direction::In
                && b.direction == Direction::In
                && a.device != b.device
                && b.at.unix_nanos() - a.at.unix_nanos() <= DOUBLE_WINDOW_NANOS
            {
                f.double_in += 1;
            }
        }
    }
    out
}
