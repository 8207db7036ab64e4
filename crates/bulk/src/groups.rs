//! Company-level sums of partitions that split the people, without a map per
//! partition: each partition lists its groups' tallies and distinct
//! individuals as flat records, and the records of all partitions are merged
//! by one sort.
//!
//! A partition's shifts come in canonical order, so all shifts of one person
//! come together: the groups a person has a shift in are known when the
//! person's last shift has passed, and each such group gains one individual.
//! Partitions split the people, so individuals add across them, as tallies
//! do. The result equals [`loggningsindex_core::Aggregator`]'s for the same
//! shifts.

use loggningsindex_core::{CompanySummary, GroupStats, Key, Shift, Summary, Tally, YearMonth};
use rayon::prelude::*;

/// Which part of a company a group is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// The company as a whole.
    Whole,
    /// The company at a site.
    Site(u32),
    /// The company in a month.
    Month(YearMonth),
}

/// A group of the result; groups sort by company, the whole company first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Group {
    company: u32,
    part: Part,
}

/// One partition's groups: a record per group and person, with the person's
/// tally in it — so each record is one individual of its group.
#[derive(Debug, Default)]
pub(crate) struct Shares {
    records: Vec<(Group, Tally)>,
    /// Distinct people with a shift.
    individuals: u64,
}

/// Collects the shifts of one partition, given in canonical order.
#[derive(Debug, Default)]
pub(crate) struct PersonGroups {
    person: Option<u32>,
    /// The groups of the current person, with their tallies.
    groups: Vec<(Group, Tally)>,
    /// The key and month of the last shift, and where its three groups are
    /// in `groups`: consecutive shifts mostly share them.
    last: Option<(Key<u32>, YearMonth, [usize; 3])>,
    shares: Shares,
}

impl PersonGroups {
    /// Counts one shift; shifts must come grouped by person.
    pub(crate) fn push(&mut self, shift: &Shift<u32>) {
        let key = shift.key;
        if self.person != Some(key.person) {
            self.end_person();
            self.person = Some(key.person);
        }
        let month = YearMonth::of(shift.work_day);
        let slots = match self.last {
            Some((k, m, slots)) if k == key && m == month => slots,
            _ => {
                let slots = [Part::Whole, Part::Site(key.site), Part::Month(month)].map(|part| {
                    self.slot(Group {
                        company: key.company,
                        part,
                    })
                });
                self.last = Some((key, month, slots));
                slots
            }
        };
        for slot in slots {
            self.groups[slot].1.add(shift.class);
        }
    }

    /// Where `group` is in the current person's groups, added if new.
    fn slot(&mut self, group: Group) -> usize {
        match self.groups.iter().position(|(g, _)| *g == group) {
            Some(slot) => slot,
            None => {
                self.groups.push((group, Tally::default()));
                self.groups.len() - 1
            }
        }
    }

    fn end_person(&mut self) {
        if self.groups.is_empty() {
            return;
        }
        self.shares.individuals += 1;
        self.shares.records.append(&mut self.groups);
        self.last = None;
    }

    /// The partition's shares.
    pub(crate) fn finish(mut self) -> Shares {
        self.end_person();
        self.shares
    }
}

/// The summary of all partitions' shares (partitions that split the people).
pub(crate) fn summary(shares: Vec<Shares>) -> Summary<u32> {
    let mut summary = Summary::default();
    summary.totals.individuals = shares.iter().map(|s| s.individuals).sum();
    let mut records: Vec<(Group, Tally)> =
        Vec::with_capacity(shares.iter().map(|s| s.records.len()).sum());
    for share in shares {
        records.extend(share.records);
    }
    records.par_sort_unstable_by_key(|(group, ..)| *group);
    let mut companies: Vec<(u32, CompanySummary<u32>)> = Vec::new();
    let mut i = 0;
    while i < records.len() {
        let group = records[i].0;
        let mut stats = GroupStats::default();
        while let Some((g, tally)) = records.get(i)
            && *g == group
        {
            stats.tally += *tally;
            stats.individuals += 1;
            i += 1;
        }
        match group.part {
            // `Whole` sorts first: the company is there before its parts.
            Part::Whole => {
                summary.totals.tally += stats.tally;
                companies.push((
                    group.company,
                    CompanySummary {
                        stats,
                        ..CompanySummary::default()
                    },
                ));
            }
            Part::Site(site) => {
                if let Some((_, company)) = companies.last_mut() {
                    company.sites.insert(site, stats);
                }
            }
            Part::Month(month) => {
                if let Some((_, company)) = companies.last_mut() {
                    company.months.insert(month, stats);
                }
            }
        }
    }
    // In company order already: the map is built in one pass.
    summary.companies = companies.into_iter().collect();
    summary
}
