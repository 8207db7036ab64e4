//! Company-level aggregates: tallies and distinct individuals per company,
//! company × site and company × month, and how partial aggregates merge.

use core::fmt;
use core::str::FromStr;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash};

use time::Date;

use crate::error::Error;
use crate::event::Key;
use crate::shift::{Class, Shift};
use crate::tally::Tally;

/// A calendar month, written `YYYY-MM`; the month of a shift's work day.
///
/// ```
/// use loggningsindex_core::YearMonth;
/// use time::macros::date;
///
/// let month = YearMonth::of(date!(2026-03-31));
/// assert_eq!(month.to_string(), "2026-03");
/// assert_eq!("2026-03".parse::<YearMonth>(), Ok(month));
/// assert!("2026-13".parse::<YearMonth>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(into = "String", try_from = "String")
)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// The month a date lies in.
    pub fn of(date: Date) -> Self {
        YearMonth {
            year: date.year(),
            month: u8::from(date.month()),
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (year, month) = s.split_once('-').ok_or(Error::NotAMonth)?;
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return Err(Error::NotAMonth);
        }
        let year = year.parse().map_err(|_| Error::NotAMonth)?;
        let month: u8 = month.parse().map_err(|_| Error::NotAMonth)?;
        if !(1..=12).contains(&month) {
            return Err(Error::NotAMonth);
        }
        Ok(YearMonth { year, month })
    }
}

impl From<YearMonth> for String {
    fn from(month: YearMonth) -> String {
        month.to_string()
    }
}

impl TryFrom<String> for YearMonth {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// What is known of one group of shifts: its tally and how many distinct
/// individuals it holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupStats {
    /// Distinct individuals with at least one shift in the group.
    pub individuals: u64,
    /// The group's shifts by class.
    pub tally: Tally,
    /// Registrations of origin `auto` in the group (RULES §7): accepted,
    /// counted here, and never part of a shift.
    #[cfg_attr(feature = "serde", serde(default))]
    pub auto_events: u64,
}

impl GroupStats {
    fn merge(&mut self, other: GroupStats) {
        self.individuals += other.individuals;
        self.tally += other.tally;
        self.auto_events += other.auto_events;
    }
}

/// One company's results: overall, per site and per month of the work day.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CompanySummary<Id: Ord> {
    /// The company as a whole.
    pub stats: GroupStats,
    /// The company at each site, by site.
    pub sites: BTreeMap<Id, GroupStats>,
    /// The company in each month, by month.
    pub months: BTreeMap<YearMonth, GroupStats>,
}

impl<Id: Ord> Default for CompanySummary<Id> {
    fn default() -> Self {
        CompanySummary {
            stats: GroupStats::default(),
            sites: BTreeMap::new(),
            months: BTreeMap::new(),
        }
    }
}

impl<Id: Ord> CompanySummary<Id> {
    fn merge(&mut self, other: CompanySummary<Id>) {
        self.stats.merge(other.stats);
        for (site, stats) in other.sites {
            self.sites.entry(site).or_default().merge(stats);
        }
        for (month, stats) in other.months {
            self.months.entry(month).or_default().merge(stats);
        }
    }
}

/// The company-level result of a set of shifts (docs/rules.md §5). Nothing in it
/// describes a single individual.
///
/// # Merging
///
/// [`merge`](Self::merge) adds two summaries. Tallies add for any two disjoint
/// sets of shifts; distinct-individual counts add only when the two sets share
/// no individual, so partition work **by person** (as the bulk engine does).
/// Under that condition merging is associative and commutative, and merging the
/// summaries of the parts equals the summary of the whole.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Summary<Id: Ord> {
    /// All shifts.
    pub totals: GroupStats,
    /// Per company, ordered by company id.
    pub companies: BTreeMap<Id, CompanySummary<Id>>,
}

impl<Id: Ord> Default for Summary<Id> {
    fn default() -> Self {
        Summary {
            totals: GroupStats::default(),
            companies: BTreeMap::new(),
        }
    }
}

impl<Id: Ord> Summary<Id> {
    /// Adds `other` into `self`; see [Merging](Self#merging).
    pub fn merge(&mut self, other: Summary<Id>) {
        self.totals.merge(other.totals);
        for (company, summary) in other.companies {
            self.companies.entry(company).or_default().merge(summary);
        }
    }

    /// Counts one registration of origin `auto` (RULES §7) in its groups: the
    /// company, the company at the site, the company in the month of `date`
    /// (the event's local date), and the totals. Such an event takes no part
    /// in shifts: do not push it to a shift builder. A group that has auto
    /// events but no shift is listed, with an empty tally (and so no index).
    ///
    /// ```
    /// use loggningsindex_core::{Summary, YearMonth};
    /// use time::macros::date;
    ///
    /// let mut summary = Summary::default();
    /// summary.add_auto("556677-8899", "BPL-1", date!(2026-03-02));
    /// let company = &summary.companies["556677-8899"];
    /// assert_eq!(company.stats.auto_events, 1);
    /// assert_eq!(company.stats.tally.index(), None);
    /// assert_eq!(company.months[&YearMonth::of(date!(2026-03-02))].auto_events, 1);
    /// ```
    pub fn add_auto(&mut self, company: Id, site: Id, date: Date)
    where
        Id: Clone,
    {
        self.totals.auto_events += 1;
        let c = self.companies.entry(company).or_default();
        c.stats.auto_events += 1;
        c.sites.entry(site).or_default().auto_events += 1;
        c.months.entry(YearMonth::of(date)).or_default().auto_events += 1;
    }

    /// Renames company and site ids, for instance from interned integers back
    /// to text (companies and sites may be numbered separately). Ids that are
    /// renamed to the same value are merged.
    pub fn map_ids<J: Ord>(
        self,
        mut company_name: impl FnMut(&Id) -> J,
        mut site_name: impl FnMut(&Id) -> J,
    ) -> Summary<J> {
        let mut out = Summary {
            totals: self.totals,
            companies: BTreeMap::new(),
        };
        for (company, summary) in self.companies {
            let renamed = CompanySummary {
                stats: summary.stats,
                sites: BTreeMap::new(),
                months: summary.months,
            };
            let entry = out.companies.entry(company_name(&company)).or_default();
            entry.merge(renamed);
            for (site, stats) in summary.sites {
                entry
                    .sites
                    .entry(site_name(&site))
                    .or_default()
                    .merge(stats);
            }
        }
        out
    }
}

/// Builds a [`Summary`] from shifts in any order.
///
/// Consecutive shifts of the same key and month are counted together, so
/// feeding shifts in canonical order (as [`crate::SortedEvents::shifts`] yields
/// them) touches the maps about once per key and month, not once per shift.
/// Distinct individuals are counted exactly; the memory for that grows with the
/// number of distinct (individual, group) pairs, not with the number of shifts.
///
/// ```
/// use loggningsindex_core::{Aggregator, Class, Key, Shift, Timestamp};
/// use time::macros::{date, datetime};
///
/// let at = Timestamp::from_offset_datetime(datetime!(2026-03-02 07:00 +01:00)).unwrap();
/// let shift = |person, class| Shift {
///     key: Key::new(person, "c1", "s1"),
///     work_day: date!(2026-03-02),
///     class,
///     first: at,
///     last: at,
///     len: 1,
/// };
/// let mut aggregator = Aggregator::new();
/// aggregator.push(&shift("p1", Class::Correct));
/// aggregator.push(&shift("p2", Class::MissingOut));
/// aggregator.push(&shift("p1", Class::Correct));
/// let summary = aggregator.finish();
/// assert_eq!(summary.totals.individuals, 2);
/// assert_eq!(summary.companies["c1"].stats.tally.rounded_index(), Some(66.7));
/// ```
#[derive(Clone, Debug)]
pub struct Aggregator<Id: Ord> {
    /// The run of consecutive shifts with one key and month not yet counted.
    run: Option<Run<Id>>,
    /// Each (company, site, month)'s tally: the company's, site's and
    /// month's tallies are its sums, formed once in [`finish`](Self::finish).
    tallies: HashMap<(Id, Id, YearMonth), Tally, Fixed>,
    /// Each (key, month) with a shift: the distinct individuals of every
    /// group are counted from these once, in `finish`. A run so costs two
    /// lookups however many groups it counts in — shifts that arrive
    /// interleaved across hundreds of thousands of keys (the streaming
    /// engine at national scale) make a run of nearly every shift — and
    /// what is kept per person and month is one small entry.
    members: Members<(Key<Id>, YearMonth)>,
}

/// SipHash with fixed keys: no randomness, the same on every run. The maps
/// and sets hashed with it are only ever summed or counted, never listed.
type Fixed = BuildHasherDefault<DefaultHasher>;

/// A set of memberships, only ever counted.
type Members<T> = HashSet<T, Fixed>;

#[derive(Clone, Debug)]
struct Run<Id> {
    key: Key<Id>,
    month: YearMonth,
    tally: Tally,
}

impl<Id: Ord + Clone + Hash> Default for Aggregator<Id> {
    fn default() -> Self {
        Self::new()
    }
}

impl<Id: Ord + Clone + Hash> Aggregator<Id> {
    /// An aggregator that has seen no shift.
    pub fn new() -> Self {
        Aggregator {
            run: None,
            tallies: HashMap::default(),
            members: Members::default(),
        }
    }

    /// Counts one shift.
    pub fn push(&mut self, shift: &Shift<Id>) {
        self.push_parts(
            &shift.key.person,
            &shift.key.company,
            &shift.key.site,
            shift.work_day,
            shift.class,
        );
    }

    /// Counts one shift given by its parts.
    pub fn push_parts(
        &mut self,
        person: &Id,
        company: &Id,
        site: &Id,
        work_day: Date,
        class: Class,
    ) {
        let month = YearMonth::of(work_day);
        if let Some(run) = &mut self.run
            && run.month == month
            && run.key.person == *person
            && run.key.company == *company
            && run.key.site == *site
        {
            run.tally.add(class);
            return;
        }
        self.flush();
        let mut tally = Tally::default();
        tally.add(class);
        self.run = Some(Run {
            key: Key::new(person.clone(), company.clone(), site.clone()),
            month,
            tally,
        });
    }

    fn flush(&mut self) {
        if let Some(run) = self.run.take() {
            let group = (run.key.company.clone(), run.key.site.clone(), run.month);
            *self.tallies.entry(group).or_default() += run.tally;
            self.members.insert((run.key, run.month));
        }
    }

    /// The summary of every shift pushed.
    pub fn finish(mut self) -> Summary<Id> {
        self.flush();
        let mut summary = Summary::default();
        // Ids are cloned, not borrowed: for the interned ids of the bulk
        // engines a clone is half the size of a reference.
        let mut persons: Members<Id> = Members::default();
        // (company, person), (company, site, person), (company, month, person)
        let mut company_persons: Members<(Id, Id)> = Members::default();
        let mut site_persons: Members<(Id, Id, Id)> = Members::default();
        let mut month_persons: Members<(Id, YearMonth, Id)> = Members::default();
        for ((company, site, month), tally) in self.tallies {
            summary.totals.tally += tally;
            let company = summary.companies.entry(company).or_default();
            company.stats.tally += tally;
            company.sites.entry(site).or_default().tally += tally;
            company.months.entry(month).or_default().tally += tally;
        }
        for (key, month) in self.members {
            persons.insert(key.person.clone());
            company_persons.insert((key.company.clone(), key.person.clone()));
            month_persons.insert((key.company.clone(), month, key.person.clone()));
            site_persons.insert((key.company, key.site, key.person));
        }
        summary.totals.individuals = persons.len() as u64;
        // Every membership's group exists: the loop above created it.
        for (company, _) in company_persons {
            if let Some(c) = summary.companies.get_mut(&company) {
                c.stats.individuals += 1;
            }
        }
        for (company, site, _) in site_persons {
            if let Some(s) = summary
                .companies
                .get_mut(&company)
                .and_then(|c| c.sites.get_mut(&site))
            {
                s.individuals += 1;
            }
        }
        for (company, month, _) in month_persons {
            if let Some(m) = summary
                .companies
                .get_mut(&company)
                .and_then(|c| c.months.get_mut(&month))
            {
                m.individuals += 1;
            }
        }
        summary
    }
}
