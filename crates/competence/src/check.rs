//! Every shift checked against the site's requirements: the result per
//! company and site, and the shifts themselves for a company's follow-up.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use loggningsindex_core::{Event, Key, SortedEvents};
use loggningsindex_format::{EventReader, IdColumn, IdMapper, Next, Records, Reject};
use loggningsindex_zone::Zone;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::rules::{Certificates, Requirement, missing};
use crate::{Error, Result};

/// Counts of one group of shifts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetenceGroup {
    /// Distinct people with a shift in the group (0 on a folded row).
    pub individuals: u64,
    /// All shifts.
    pub shifts: u64,
    /// Shifts whose person lacked a required certificate that day.
    pub shifts_without_required: u64,
    /// Per certificate code: shifts that lacked it.
    pub missing: BTreeMap<String, u64>,
}

impl CompetenceGroup {
    fn add(&mut self, other: &CompetenceGroup) {
        self.shifts += other.shifts;
        self.shifts_without_required += other.shifts_without_required;
        for (code, n) in &other.missing {
            *self.missing.entry(code.clone()).or_insert(0) += n;
        }
    }
}

/// One company at one site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteCompetence {
    /// The site, or `(other)` for rows folded by the small-group rule.
    pub site: String,
    /// Its counts.
    #[serde(flatten)]
    pub group: CompetenceGroup,
    /// On the `(other)` row: how many rows it folds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folded: Option<u32>,
}

/// One company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyCompetence {
    /// The company, as in the event file (a pseudonym with a key).
    pub company: String,
    /// Its counts.
    #[serde(flatten)]
    pub group: CompetenceGroup,
    /// Per site, by site.
    pub sites: Vec<SiteCompetence>,
}

/// The result of [`check`] (`competence check --format json`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetenceCheck {
    /// Event rows read, accepted, rejected.
    pub records: Records,
    /// All shifts.
    pub totals: CompetenceGroup,
    /// Per company, by company in byte order.
    pub companies: Vec<CompanyCompetence>,
}

/// A shift whose person lacked a required certificate: for the company's
/// own follow-up (`--list`), never published.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShiftWithout {
    /// Person, company, site.
    pub key: Key<String>,
    /// The work day.
    pub work_day: Date,
    /// The codes lacked.
    pub missing: Vec<String>,
}

/// What [`check`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    /// The company-level result.
    pub result: CompetenceCheck,
    /// Every shift that lacked something.
    pub shifts: Vec<ShiftWithout>,
    /// Event rows that could not be read.
    pub rejects: Vec<Reject>,
}

/// Maps the ids of the requirements and certificates as `mapper` maps those
/// of event files, so that with a key every file is pseudonymised alike.
/// Ids the mapper refuses are dropped from the returned sets, and counted.
pub fn map_ids(
    requirements: &[Requirement],
    certificates: &Certificates,
    mapper: &mut dyn IdMapper,
) -> (Vec<Requirement>, Certificates, usize) {
    let mut refused = 0;
    let mut map = |column, id: &str| {
        let mapped = mapper.map(column, id).ok();
        refused += usize::from(mapped.is_none());
        mapped
    };
    let requirements = requirements
        .iter()
        .filter_map(|r| {
            let site = map(IdColumn::Site, &r.site)?;
            let company = match &r.company {
                Some(c) => Some(map(IdColumn::Company, c)?),
                None => None,
            };
            Some(Requirement {
                site,
                company,
                ..r.clone()
            })
        })
        .collect();
    let mut mapped = Certificates::default();
    for c in certificates.iter() {
        if let Some(person) = map(IdColumn::Person, &c.person) {
            mapped.insert(crate::Certificate {
                person,
                ..c.clone()
            });
        }
    }
    (requirements, mapped, refused)
}

/// Forms the shifts of an event file as the index does (origin `auto`
/// events take no part) and checks each against the requirements: the codes
/// the person lacked on the shift's work day. Identifiers pass through
/// `mapper` (pseudonymise the requirements and certificates alike with
/// [`map_ids`]).
///
/// # Errors
///
/// [`Error::Events`] for a file that is not an event file.
pub fn check<R: Read>(
    events: R,
    requirements: &[Requirement],
    certificates: &Certificates,
    zone: &Zone,
    mapper: &mut dyn IdMapper,
) -> Result<Checked> {
    let mut reader = EventReader::new(events, zone).map_err(Error::Events)?;
    let mut out = Checked::default();
    let mut list = Vec::new();
    let mut autos = 0usize;
    loop {
        let row = match reader.next_row().map_err(Error::Events)? {
            Next::End => break,
            Next::Rejected(reject) => {
                out.rejects.push(reject);
                continue;
            }
            Next::Row(row) => row,
        };
        let ids = (|| {
            Ok::<_, loggningsindex_format::RejectReason>(Key::new(
                mapper.map(IdColumn::Person, row.person)?,
                mapper.map(IdColumn::Company, row.company)?,
                mapper.map(IdColumn::Site, row.site)?,
            ))
        })();
        match ids {
            Ok(key) if row.origin.takes_part() => list.push(Event::new(key, row.at, row.direction)),
            Ok(_) => autos += 1,
            Err(reason) => out.rejects.push(Reject {
                line: row.line,
                reason,
            }),
        }
    }
    out.result.records = Records {
        read: (list.len() + autos + out.rejects.len()) as u64,
        accepted: (list.len() + autos) as u64,
        rejected: out.rejects.len() as u64,
    };
    let mut people: BTreeMap<(String, Option<String>), BTreeSet<String>> = BTreeMap::new();
    let mut groups: BTreeMap<(String, Option<String>), CompetenceGroup> = BTreeMap::new();
    for (_, shift) in SortedEvents::sort(&mut list).shifts() {
        let k = &shift.key;
        let lacked = missing(
            requirements,
            certificates,
            &k.person,
            &k.company,
            &k.site,
            shift.work_day,
        );
        let mut one = CompetenceGroup {
            shifts: 1,
            ..CompetenceGroup::default()
        };
        if !lacked.is_empty() {
            one.shifts_without_required = 1;
            for code in &lacked {
                one.missing.insert((*code).to_string(), 1);
            }
            out.shifts.push(ShiftWithout {
                key: k.clone(),
                work_day: shift.work_day,
                missing: lacked.iter().map(|c| (*c).to_string()).collect(),
            });
        }
        for group in [
            (k.company.clone(), None),
            (k.company.clone(), Some(k.site.clone())),
        ] {
            people
                .entry(group.clone())
                .or_default()
                .insert(k.person.clone());
            groups.entry(group).or_default().add(&one);
        }
    }
    out.result.totals = build(&mut out.result.companies, groups, &people);
    out.shifts.sort();
    Ok(out)
}

/// The companies and their sites from the groups; returns the totals.
fn build(
    companies: &mut Vec<CompanyCompetence>,
    groups: BTreeMap<(String, Option<String>), CompetenceGroup>,
    people: &BTreeMap<(String, Option<String>), BTreeSet<String>>,
) -> CompetenceGroup {
    let mut totals = CompetenceGroup::default();
    let mut everyone = BTreeSet::new();
    for ((company, site), mut group) in groups {
        let who = &people[&(company.clone(), site.clone())];
        group.individuals = who.len() as u64;
        match site {
            None => {
                totals.add(&group);
                everyone.extend(who.iter().cloned());
                companies.push(CompanyCompetence {
                    company,
                    group,
                    sites: Vec::new(),
                });
            }
            Some(site) => {
                if let Some(c) = companies.last_mut() {
                    c.sites.push(SiteCompetence {
                        site,
                        group,
                        folded: None,
                    });
                }
            }
        }
    }
    totals.individuals = everyone.len() as u64;
    totals
}

/// Applies the reports' small-group rule to the site rows
/// ([`loggningsindex_report::suppress_rows`]): no published row describes
/// fewer than `min` people. Company rows and totals are kept.
pub fn suppress(check: &CompetenceCheck, min: u64) -> CompetenceCheck {
    let mut out = check.clone();
    for company in &mut out.companies {
        let rows = std::mem::take(&mut company.sites);
        company.sites = loggningsindex_report::suppress_rows(
            rows,
            min,
            company.group.individuals,
            |r| r.group.individuals,
            |r| r.group.shifts,
            |hidden| {
                let mut group = CompetenceGroup::default();
                for row in &hidden {
                    group.add(&row.group);
                }
                SiteCompetence {
                    site: loggningsindex_report::OTHER.to_string(),
                    group,
                    folded: Some(hidden.len() as u32),
                }
            },
        );
    }
    out
}
