//! The result as docs/formats.md describes it, ready to serialize: rows with counts
//! and a rounded index, in byte order of their identifiers.

use loggningsindex_core::{GroupStats, Summary};
use loggningsindex_format::Records;
use serde::{Deserialize, Serialize};

/// The JSON schema version of [`Report`].
pub const SCHEMA_VERSION: u32 = 1;

/// Counts and index of one group of shifts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Registrations of origin `auto` in the group: accepted, never part of a
    /// shift (0 in results written before the field existed).
    #[serde(default)]
    pub auto_events: u64,
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
            auto_events: stats.auto_events,
        }
    }
}

/// One company at one site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteRow {
    /// The site id as in the input, or [`OTHER`] for suppressed rows.
    pub site: String,
    /// Its counts.
    #[serde(flatten)]
    pub group: Group,
    /// For the [`OTHER`] row: how many rows were folded into it. Its
    /// `individuals` is then 0: distinct people cannot be added across rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folded: Option<u32>,
}

/// One company in one month (of the work day).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    /// `YYYY-MM`, or [`OTHER`] for suppressed rows.
    pub month: String,
    /// Its counts.
    #[serde(flatten)]
    pub group: Group,
    /// For the [`OTHER`] row: how many rows were folded into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folded: Option<u32>,
}

/// The label of the row that suppressed breakdown rows are folded into.
pub const OTHER: &str = "(other)";

/// Card compliance of one company (`cards check`): shown next to the index,
/// never mixed into it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardCheck {
    /// Registrations that named a card.
    pub with_card: u64,
    /// Registrations that named no card.
    pub without_card: u64,
    /// Registrations whose card was unknown, not yet valid, expired or blocked.
    pub invalid_card: u64,
}

/// One company with its breakdowns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Card compliance, when a card check was attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cards: Option<CardCheck>,
    /// Required competence (`competence check`), when attached: shown next
    /// to the index, never in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competence: Option<CompetenceShare>,
    /// Register faults (`ledger faults`), when attached: shown next to the
    /// index, never in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<FaultCounts>,
}

/// Double registrations of a company's people (`ledger faults`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultCounts {
    /// Registrations in the ledger.
    pub registrations: u64,
    /// An `IN` after an `IN` within a minute from another device, no `OUT` between.
    pub double_in: u64,
    /// The same registration stored twice.
    pub duplicate: u64,
}

/// `100 × part / whole` to one decimal; `None` when `whole` is 0 — the share
/// shown beside the index for card, competence and notice checks.
///
/// ```
/// assert_eq!(loggningsindex_report::percent(2, 3), Some(66.7));
/// assert_eq!(loggningsindex_report::percent(0, 0), None);
/// ```
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (1000.0 * part as f64 / whole as f64).round() / 10.0)
}

/// Of a company's shifts, how many lacked a certificate the site required.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetenceShare {
    /// Shifts checked against the requirements.
    pub shifts: u64,
    /// Of those, shifts whose person lacked a required certificate.
    pub shifts_without_required: u64,
}

impl CompetenceShare {
    /// The percentage of shifts with every required certificate, one decimal;
    /// `None` without shifts.
    pub fn percent_with(&self) -> Option<f64> {
        percent(
            self.shifts.saturating_sub(self.shifts_without_required),
            self.shifts,
        )
    }
}

/// The whole result (`compute --format json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
                            folded: None,
                        })
                        .collect(),
                    months: c
                        .months
                        .iter()
                        .map(|(month, m)| MonthRow {
                            month: month.to_string(),
                            group: Group::from(m),
                            folded: None,
                        })
                        .collect(),
                    cards: None,
                    competence: None,
                    faults: None,
                })
                .collect(),
        }
    }

    /// Attaches card compliance per company (by company id as in the report);
    /// companies not in `checks` get none.
    pub fn attach_card_checks(&mut self, checks: &std::collections::BTreeMap<String, CardCheck>) {
        for company in &mut self.companies {
            company.cards = checks.get(&company.company).copied();
        }
    }

    /// Attaches register faults per company (by company id as in the report).
    pub fn attach_faults(&mut self, faults: &std::collections::BTreeMap<String, FaultCounts>) {
        for company in &mut self.companies {
            company.faults = faults.get(&company.company).copied();
        }
    }

    /// Attaches required competence per company (by company id as in the
    /// report); companies not in `shares` get none.
    pub fn attach_competence(
        &mut self,
        shares: &std::collections::BTreeMap<String, CompetenceShare>,
    ) {
        for company in &mut self.companies {
            company.competence = shares.get(&company.company).copied();
        }
    }
}

impl Group {
    /// Adds another group's shift counts (not its individuals, which do not
    /// add across groups) and recomputes the index.
    pub(crate) fn absorb(&mut self, other: &Group) {
        self.shifts += other.shifts;
        self.correct += other.correct;
        self.missing_in += other.missing_in;
        self.missing_out += other.missing_out;
        self.missing_both += other.missing_both;
        self.auto_events += other.auto_events;
        let tally = loggningsindex_core::Tally {
            correct: self.correct,
            missing_in: self.missing_in,
            missing_out: self.missing_out,
            missing_both: self.missing_both,
        };
        self.index = tally.rounded_index();
    }

    /// An empty group (no shifts, no index).
    pub(crate) fn empty() -> Group {
        Group {
            individuals: 0,
            shifts: 0,
            correct: 0,
            missing_in: 0,
            missing_out: 0,
            missing_both: 0,
            index: None,
            auto_events: 0,
        }
    }
}

impl Report {
    /// Reads a report written by [`crate::write_json`] (`compute --format json`).
    ///
    /// # Errors
    ///
    /// The JSON is malformed or not a result.
    ///
    /// The counts are checked as they are read, so that no later sum can
    /// overflow: each group's classes add up to its `shifts`, and the sites
    /// (and the months) of a company add up to no more than the company.
    pub fn from_json<R: std::io::Read>(input: R) -> crate::Result<Report> {
        let report: Report =
            serde_json::from_reader(input).map_err(|e| crate::Error::Parse(e.to_string()))?;
        report.check_counts()?;
        Ok(report)
    }

    /// See [`Report::from_json`].
    fn check_counts(&self) -> crate::Result<()> {
        let invalid = |what: String| Err(crate::Error::Invalid(what));
        let class_sum = |g: &Group| {
            g.correct
                .checked_add(g.missing_in)
                .and_then(|n| n.checked_add(g.missing_out))
                .and_then(|n| n.checked_add(g.missing_both))
        };
        let groups =
            std::iter::once(("totals", &self.totals)).chain(self.companies.iter().flat_map(|c| {
                std::iter::once(("company", &c.group))
                    .chain(c.sites.iter().map(|s| ("site", &s.group)))
                    .chain(c.months.iter().map(|m| ("month", &m.group)))
            }));
        for (kind, group) in groups {
            if class_sum(group) != Some(group.shifts) {
                return invalid(format!(
                    "a {kind} row's classes do not add up to its shifts"
                ));
            }
        }
        for company in &self.companies {
            let sites = company
                .sites
                .iter()
                .try_fold(0u64, |total, s| total.checked_add(s.group.shifts));
            let months = company
                .months
                .iter()
                .try_fold(0u64, |total, m| total.checked_add(m.group.shifts));
            for (kind, total) in [("sites", sites), ("months", months)] {
                if total.is_none_or(|t| t > company.group.shifts) {
                    return invalid(format!(
                        "the {kind} of a company hold more shifts than the company"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The percentage of companies (with an index) whose index is lower than
    /// `index`: "better than X % of companies". For many questions, build
    /// [`Percentiles`] once instead.
    pub fn percentile(&self, index: f64) -> Option<f64> {
        Percentiles::of(self).percentile(index)
    }
}

/// The companies' indexes, sorted once, to place any index among them.
#[derive(Clone, Debug, PartialEq)]
pub struct Percentiles(Vec<f64>);

impl Percentiles {
    /// The indexes of every company of `report` that has one.
    pub fn of(report: &Report) -> Percentiles {
        let mut all: Vec<f64> = report
            .companies
            .iter()
            .filter_map(|c| c.group.index)
            .collect();
        all.sort_by(f64::total_cmp);
        Percentiles(all)
    }

    /// The percentage of companies whose index is lower than `index`; `None`
    /// when no company has an index.
    pub fn percentile(&self, index: f64) -> Option<f64> {
        if self.0.is_empty() {
            return None;
        }
        let below = self.0.partition_point(|&i| i < index);
        Some(100.0 * below as f64 / self.0.len() as f64)
    }
}
