//! Staff notices (*personalanmälan*): who a contractor announced for a site,
//! and the registrations of people it did not announce.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use loggningsindex_format::{
    EventReader, IdColumn, IdMapper, Next, Records, Reject, RejectReason, Table,
};
use loggningsindex_zone::Zone;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

use crate::error::{Error, Result};

/// One announced person: for a site, by a company, between two days.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Notice {
    /// The site.
    pub site: String,
    /// The company that announced the person.
    pub company: String,
    /// The person, as in event files.
    pub person: String,
    /// The ID06 card number given (may be empty).
    pub card: String,
    /// First day, inclusive.
    pub from: Date,
    /// Last day, inclusive.
    pub to: Date,
}

impl Notice {
    /// Whether this notice announces `person` for `company` at `site` on `day`.
    ///
    /// ```
    /// use loggningsindex_register::Notice;
    /// use time::macros::date;
    ///
    /// let n = Notice {
    ///     site: "BPL-1".into(), company: "c1".into(), person: "p1".into(), card: String::new(),
    ///     from: date!(2026-03-02), to: date!(2026-03-06),
    /// };
    /// assert!(n.covers("BPL-1", "c1", "p1", date!(2026-03-06)));
    /// assert!(!n.covers("BPL-1", "c1", "p1", date!(2026-03-07)));
    /// assert!(!n.covers("BPL-1", "c2", "p1", date!(2026-03-03)));
    /// ```
    pub fn covers(&self, site: &str, company: &str, person: &str, day: Date) -> bool {
        self.site == site
            && self.company == company
            && self.person == person
            && self.from <= day
            && day <= self.to
    }
}

/// Reads a notice file: `site`, `company`, `person`, `card`, `from`, `to`,
/// optional `name` (read, never kept: no output needs it).
///
/// # Errors
///
/// [`Error::Invalid`] for a file without the required columns, or an I/O
/// error; bad rows are returned as rejects.
pub fn load_notices<R: Read>(input: R) -> Result<(Vec<Notice>, Vec<Reject>)> {
    let mut table = Table::open(
        input,
        &["site", "company", "person", "card", "from", "to"],
        &["name"],
    )
    .map_err(|e| Error::Invalid {
        reason: format!("notice file: {e}"),
    })?;
    let date = |text: &str, column| {
        Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| {
            RejectReason::Invalid {
                column,
                detail: "expected YYYY-MM-DD",
            }
        })
    };
    let mut notices = Vec::new();
    let rejects = table
        .for_each(|f| {
            for (i, column) in ["site", "company", "person"].into_iter().enumerate() {
                if f[i].is_empty() {
                    return Err(RejectReason::Empty(column));
                }
                if f[i].chars().any(char::is_control) {
                    return Err(RejectReason::ControlCharacter(column));
                }
            }
            let (from, to) = (date(&f[4], "from")?, date(&f[5], "to")?);
            if to < from {
                return Err(RejectReason::Invalid {
                    column: "to",
                    detail: "before from",
                });
            }
            notices.push(Notice {
                site: f[0].clone(),
                company: f[1].clone(),
                person: f[2].clone(),
                card: f[3].clone(),
                from,
                to,
            });
            Ok(())
        })
        .map_err(|e| Error::Io {
            message: e.to_string(),
        })?;
    Ok((notices, rejects))
}

/// The site, company and person of each mapped notice, with its periods.
type Announced = BTreeMap<(String, String, String), Vec<(Date, Date)>>;

fn announced_periods(notices: &[Notice], mapper: &mut dyn IdMapper) -> Announced {
    let mut index = Announced::new();
    for n in notices {
        let ids = (|| {
            Ok::<_, RejectReason>((
                mapper.map(IdColumn::Site, &n.site)?,
                mapper.map(IdColumn::Company, &n.company)?,
                mapper.map(IdColumn::Person, &n.person)?,
            ))
        })();
        if let Ok(key) = ids {
            index.entry(key).or_default().push((n.from, n.to));
        }
    }
    index
}

/// Per (company, site) — site `None` for the company — the counts and people.
type Groups = BTreeMap<(String, Option<String>), (NoticeGroup, BTreeSet<String>)>;

/// The result from the groups.
fn build(
    records: Records,
    groups: Groups,
    index: &Announced,
    seen: &BTreeSet<(String, String, String)>,
) -> NoticeCheck {
    let never_seen = |company: &str, site: &str| {
        index
            .keys()
            .filter(|(s, c, _)| s == site && c == company)
            .filter(|k| !seen.contains(*k))
            .count() as u64
    };
    let mut check = NoticeCheck {
        records,
        ..NoticeCheck::default()
    };
    let mut everyone = BTreeSet::new();
    for ((company, site), (mut group, people)) in groups {
        group.individuals = people.len() as u64;
        match site {
            None => {
                check.totals.registrations += group.registrations;
                check.totals.unannounced += group.unannounced;
                everyone.extend(people);
                check.companies.push(CompanyNotices {
                    company,
                    group,
                    sites: Vec::new(),
                });
            }
            Some(site) => {
                if let Some(c) = check.companies.last_mut() {
                    let announced_never_seen = never_seen(&c.company, &site);
                    c.sites.push(SiteNotices {
                        site,
                        group,
                        announced_never_seen,
                        folded: None,
                    });
                }
            }
        }
    }
    check.totals.individuals = everyone.len() as u64;
    check
}

/// Counts of one group of registrations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeGroup {
    /// Distinct people who registered in the group (0 on a folded row).
    pub individuals: u64,
    /// Registrations (accepted event rows, `auto` ones included).
    pub registrations: u64,
    /// Of those, by people not announced for that site by that company that day.
    pub unannounced: u64,
}

/// One company at one site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteNotices {
    /// The site, or `(other)` for rows folded by the small-group rule.
    pub site: String,
    /// Its counts.
    #[serde(flatten)]
    pub group: NoticeGroup,
    /// Announced people of the company for this site never seen there
    /// (information: announcing more than come is allowed).
    pub announced_never_seen: u64,
    /// On the `(other)` row: how many rows it folds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folded: Option<u32>,
}

/// One company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyNotices {
    /// The company.
    pub company: String,
    /// Its counts.
    #[serde(flatten)]
    pub group: NoticeGroup,
    /// Per site, by site.
    pub sites: Vec<SiteNotices>,
}

/// The result of [`check_notices`] (`notices check --format json`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeCheck {
    /// Event rows read, accepted, rejected.
    pub records: Records,
    /// All registrations.
    pub totals: NoticeGroup,
    /// Per company, by company in byte order.
    pub companies: Vec<CompanyNotices>,
}

/// A registration by someone not announced: for the site's own follow-up.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unannounced {
    /// The line in the event file.
    pub line: u64,
    /// Person, company, site.
    pub person: String,
    /// The company.
    pub company: String,
    /// The site.
    pub site: String,
    /// The local day.
    pub day: Date,
}

/// Checks every registration of an event file against the notices: was the
/// person announced for that site by that company on that (local) day?
/// Identifiers of both files pass through `mapper`, so that with a key the
/// result is pseudonymised as `compute` pseudonymises.
///
/// # Errors
///
/// [`Error::Events`] for a file that is not an event file.
pub fn check_notices<R: Read>(
    events: R,
    notices: &[Notice],
    zone: &Zone,
    mapper: &mut dyn IdMapper,
) -> Result<(NoticeCheck, Vec<Unannounced>, Vec<Reject>)> {
    let index = announced_periods(notices, mapper);
    let mut reader = EventReader::new(events, zone).map_err(Error::Events)?;
    let mut rejects = Vec::new();
    let mut found = Vec::new();
    let mut groups = Groups::new();
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut records = Records::default();
    loop {
        let row = match reader.next_row().map_err(Error::Events)? {
            Next::End => break,
            Next::Rejected(r) => {
                rejects.push(r);
                continue;
            }
            Next::Row(row) => row,
        };
        let ids = (|| {
            Ok::<_, RejectReason>((
                mapper.map(IdColumn::Site, row.site)?,
                mapper.map(IdColumn::Company, row.company)?,
                mapper.map(IdColumn::Person, row.person)?,
            ))
        })();
        let key = match ids {
            Ok(key) => key,
            Err(reason) => {
                rejects.push(Reject {
                    line: row.line,
                    reason,
                });
                continue;
            }
        };
        records.accepted += 1;
        let day = row.at.local_date();
        let ok = index
            .get(&key)
            .is_some_and(|periods| periods.iter().any(|(from, to)| *from <= day && day <= *to));
        let (site, company, person) = key.clone();
        seen.insert(key);
        for group in [
            (company.clone(), None),
            (company.clone(), Some(site.clone())),
        ] {
            let (g, people) = groups.entry(group).or_default();
            g.registrations += 1;
            g.unannounced += u64::from(!ok);
            people.insert(person.clone());
        }
        if !ok {
            found.push(Unannounced {
                line: row.line,
                person,
                company,
                site,
                day,
            });
        }
    }
    records.rejected = rejects.len() as u64;
    records.read = records.accepted + records.rejected;
    let check = build(records, groups, &index, &seen);
    Ok((check, found, rejects))
}

/// Applies the reports' small-group rule to the site rows
/// ([`loggningsindex_report::suppress_rows`]): no published row describes
/// fewer than `min` people. Company rows and totals are kept.
pub fn suppress_notices(check: &NoticeCheck, min: u64) -> NoticeCheck {
    let mut out = check.clone();
    for company in &mut out.companies {
        let rows = std::mem::take(&mut company.sites);
        company.sites = loggningsindex_report::suppress_rows(
            rows,
            min,
            company.group.individuals,
            |r| r.group.individuals,
            |r| r.group.registrations,
            |hidden| {
                let mut row = SiteNotices {
                    site: loggningsindex_report::OTHER.to_string(),
                    group: NoticeGroup::default(),
                    announced_never_seen: 0,
                    folded: Some(hidden.len() as u32),
                };
                for h in &hidden {
                    row.group.registrations += h.group.registrations;
                    row.group.unannounced += h.group.unannounced;
                    row.announced_never_seen += h.announced_never_seen;
                }
                row
            },
        );
    }
    out
}
