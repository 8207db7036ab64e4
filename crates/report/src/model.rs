//! The result as FORMATS.md describes it, ready to serialize: rows with counts
//! and a rounded index, in byte order of their identifiers.

use loggningsindex_bulk::Records;
use loggningsindex_core::{GroupStats, Summary};
use serde::Serialize;

/// The JSON schema version of [`Report`].
pub const SCHEMA_VERSION: u32 = 1;

/// Counts and index of one group of shifts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Group {
    /// Distinct individuals with a shift in the group.
    pub individuals: u64,
    /// All shifts.
    pub shifts: u64,
    /// Correct shifts.
    pub correct: u64,
    /// Shifts without `IN` at the start, with `OUT` at the end.
    pub missing_in: u64,
    /// Shifts with `IN` at the start, without `OUT` at the end.
    pub missing_out: u64,
    /// Shifts with neither.
    pub missing_both: u64,
    /// `100 × correct / shifts`, one decimal, half away from zero; `None`
    /// (JSON `null`) without shifts.
    pub index: Option<f64>,
}

impl From<&GroupStats> for Group {
    fn from(stats: &GroupStats) -> Self {
        let t = &stats.tally;
        Group {
            individuals: stats.individuals,
            shifts: t.shifts(),
            correct: t.correct,
            missing_in: t.missing_in,
            missing_out: t.missing_out,
            missing_both: t.missing_both,
            index: t.rounded_index(),
        }
    }
}

/// One company at one site.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteRow {
    /// The site id as in the input.
    pub site: String,
    /// Its counts.
    #[serde(flatten)]
    pub group: Group,
}

/// One company in one month (of the work day).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Its counts.
    #[serde(flatten)]
    pub group: Group,
}

/// One company with its breakdowns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompanyRow {
    /// The company id as in the input.
    pub company: String,
    /// The company's counts.
    #[serde(flatten)]
    pub group: Group,
    /// Per site, by site id.
    pub sites: Vec<SiteRow>,
    /// Per month, in order.
    pub months: Vec<MonthRow>,
}

/// The whole result (`compute --format json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Row counts: `read = accepted + rejected`.
    pub records: Records,
    /// All shifts.
    pub totals: Group,
    /// Companies by id, in byte order.
    pub companies: Vec<CompanyRow>,
}

impl Report {
    /// The report of a computation's counts and summary.
    pub fn new(records: Records, summary: &Summary<String>) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            records,
            totals: Group::from(&summary.totals),
            companies: summary
                .companies
                .iter()
                .map(|(company, c)| CompanyRow {
                    company: company.clone(),
                    group: Group::from(&c.stats),
                    sites: c
                        .sites
                        .iter()
                        .map(|(site, s)| SiteRow {
                            site: site.clone(),
                            group: Group::from(s),
                        })
                        .collect(),
                    months: c
                        .months
                        .iter()
                        .map(|(month, m)| MonthRow {
                            month: month.to_string(),
                            group: Group::from(m),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
