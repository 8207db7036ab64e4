//! The synthetic workforce: companies, people, sites, and who works where.

use std::collections::HashSet;

use fastrand::Rng;
use loggningsindex_zone::Zone;
use time::{Date, Weekday};

use crate::behaviour::Profile;
use crate::error::{Error, Result};
use crate::ids::{self, Birth};

/// A company with ID06 cards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Company {
    /// Organisationsnummer (a sole trader's is a personnummer), or a token.
    pub id: String,
    /// Index into [`Population::profiles`]: how its people usually log.
    pub profile: usize,
    /// Indexes into [`Population::sites`] of the sites it works at.
    pub sites: Vec<u32>,
    /// A one-person firm whose company id is its owner's personnummer.
    pub sole_trader: bool,
}

/// A person who works on construction sites.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Personnummer, samordningsnummer or a foreign id, or a token.
    pub id: String,
    /// Index into [`Population::companies`] of the employer.
    pub company: u32,
    /// A second company whose card the person sometimes uses.
    pub second_company: Option<u32>,
    /// Index into [`Population::sites`] of the usual site.
    pub home_site: u32,
    /// Works nights rather than days.
    pub night: bool,
    /// Index into [`Population::profiles`]: how this person logs.
    pub profile: usize,
    /// ID06 card numbers: for `company`, and for `second_company`.
    pub cards: [String; 2],
}

/// A construction site (arbetsplats).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The site id (like Skatteverket's byggarbetsplats-ID), or a token.
    pub id: String,
    /// Local seconds after midnight at which the register checks out everyone
    /// still checked in, if its vendor does that.
    pub auto_checkout: Option<i64>,
}

/// A seeded synthetic population and the dates it works; see [`Population::builder`].
///
/// Everything generated from it is a pure function of its builder's options:
/// the same options give byte-identical output on every machine.
#[derive(Clone, Debug)]
pub struct Population {
    pub(crate) seed: u64,
    pub(crate) start: Date,
    pub(crate) days: u32,
    pub(crate) zone: Zone,
    pub(crate) companies: Vec<Company>,
    pub(crate) persons: Vec<Person>,
    pub(crate) sites: Vec<Site>,
    pub(crate) profiles: Vec<Profile>,
}

/// Builds a [`Population`].
///
/// ```
/// use loggningsindex_synth::Population;
/// use time::macros::date;
///
/// let population = Population::builder()
///     .seed(42)
///     .companies(20)
///     .dates(date!(2026-03-02), date!(2026-03-08))
///     .build()?;
/// assert_eq!(population.companies().len(), 20);
/// assert!(population.events().count() > 0);
///
/// // An empty date range is refused.
/// assert!(Population::builder().dates(date!(2026-03-08), date!(2026-03-02)).build().is_err());
/// # Ok::<(), loggningsindex_synth::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PopulationBuilder {
    seed: u64,
    size: Size,
    /// The national shape, when asked for.
    shape: Option<Shape>,
    start: Date,
    end: Date,
    zone: Option<Zone>,
    pseudonymised: bool,
    profiles: Vec<(Profile, u32)>,
}

/// Company sizes and site popularity as at national scale.
#[derive(Clone, Copy, Debug)]
struct Shape {
    /// Percent of companies that are one person.
    sole_percent: u32,
    /// Sites in all.
    sites: usize,
}

#[derive(Clone, Copy, Debug)]
enum Size {
    Companies(usize),
    Workforce(usize),
}

/// Weekday attendance, in percent.
const ATTENDANCE_WEEKDAY: u32 = 90;
const ATTENDANCE_SATURDAY: u32 = 8;
const ATTENDANCE_SUNDAY: u32 = 3;
/// Events per shift assumed by the forecasts. Measured on the default profiles:
/// 10 M events formed 4.51 M shifts (2.22); the higher figure makes the
/// forecast workforce about 4 % small, which the 10 % headroom of
/// [`workforce_for_events`] covers.
const EVENTS_PER_SHIFT: f64 = 2.3;

impl Population {
    /// A builder with the defaults: seed 0, 300 companies, all of 2026 (both
    /// DST changes) in `Europe/Stockholm`, Swedish identity numbers, and a mix
    /// of careful (40 %), average (45 %) and forgetful (15 %) companies.
    pub fn builder() -> PopulationBuilder {
        PopulationBuilder {
            seed: 0,
            size: Size::Companies(300),
            shape: None,
            start: Date::from_calendar_date(2026, time::Month::January, 1).unwrap_or(Date::MIN),
            end: Date::from_calendar_date(2026, time::Month::December, 31).unwrap_or(Date::MIN),
            zone: None,
            pseudonymised: false,
            profiles: vec![
                (Profile::CAREFUL, 40),
                (Profile::AVERAGE, 45),
                (Profile::FORGETFUL, 15),
            ],
        }
    }

    /// The companies.
    pub fn companies(&self) -> &[Company] {
        &self.companies
    }

    /// The people.
    pub fn persons(&self) -> &[Person] {
        &self.persons
    }

    /// The sites.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// The behaviour profiles that companies and people refer to.
    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    /// The first work day.
    pub fn start(&self) -> Date {
        self.start
    }

    /// How many days are generated.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// The sites' time zone.
    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// The card number a person uses for a company (its primary or second).
    pub fn card(&self, person: u32, company: u32) -> &str {
        let p = &self.persons[person as usize];
        let which = usize::from(p.company != company);
        &p.cards[which]
    }

    /// A rough forecast of how many events the population generates.
    pub fn estimated_events(&self) -> u64 {
        (self.persons.len() as f64 * f64::from(self.days) * events_per_person_day()) as u64
    }
}

/// Expected events per person and calendar day: a week's attendance in
/// percent, per day, times events per shift.
fn events_per_person_day() -> f64 {
    f64::from(5 * ATTENDANCE_WEEKDAY + ATTENDANCE_SATURDAY + ATTENDANCE_SUNDAY) / 700.0
        * EVENTS_PER_SHIFT
}

/// The workforce that yields about `events` events over `days` days.
pub fn workforce_for_events(events: u64, days: u32) -> usize {
    // 10 % headroom, so that a caller who cuts at `events` rarely runs short.
    ((events as f64 / (f64::from(days.max(1)) * events_per_person_day())) * 1.1).ceil() as usize
}

impl PopulationBuilder {
    /// The seed; everything else being equal, the same seed gives the same data.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How many companies (their workforce follows from a heavy-tailed size
    /// distribution: many one-person firms, a few with thousands).
    pub fn companies(mut self, companies: usize) -> Self {
        self.size = Size::Companies(companies);
        self
    }

    /// How many people, at least (companies are added until they employ that many).
    pub fn workforce(mut self, persons: usize) -> Self {
        self.size = Size::Workforce(persons);
        self
    }

    /// The shape of the whole country's register rather than one large
    /// contractor's: `sole_percent` % of companies are one person (the rest
    /// heavy-tailed, up to 5 000), and `sites` sites whose popularity is
    /// Zipf-like (a few large sites, a long tail of small ones). Combine with
    /// [`workforce`](Self::workforce) for the number of people.
    pub fn national(mut self, sole_percent: u32, sites: usize) -> Self {
        self.shape = Some(Shape {
            sole_percent: sole_percent.min(100),
            sites: sites.max(1),
        });
        self
    }

    /// The first and last work day, inclusive.
    pub fn dates(mut self, first: Date, last: Date) -> Self {
        self.start = first;
        self.end = last;
        self
    }

    /// The sites' time zone (default `Europe/Stockholm`).
    pub fn zone(mut self, zone: Zone) -> Self {
        self.zone = Some(zone);
        self
    }

    /// Use pseudonym-shaped tokens (`p_…`, `c_…`, `s_…`, `k_…`) instead of
    /// identity numbers.
    pub fn pseudonymised(mut self, pseudonymised: bool) -> Self {
        self.pseudonymised = pseudonymised;
        self
    }

    /// The behaviour profiles and their weights among companies.
    pub fn profiles(mut self, profiles: Vec<(Profile, u32)>) -> Self {
        self.profiles = profiles;
        self
    }

    /// Generates the population.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyDateRange`] if the last day is before the first;
    /// [`Error::NoCompanies`] for a size of zero; [`Error::NoProfiles`] if no
    /// profile has a positive weight.
    pub fn build(self) -> Result<Population> {
        if self.end < self.start {
            return Err(Error::EmptyDateRange);
        }
        if matches!(self.size, Size::Companies(0) | Size::Workforce(0)) {
            return Err(Error::NoCompanies);
        }
        let profile_weights: Vec<u32> = self.profiles.iter().map(|(_, w)| *w).collect();
        let profile_total: u32 = profile_weights.iter().sum();
        if profile_total == 0 {
            return Err(Error::NoProfiles);
        }
        let days = u32::try_from((self.end - self.start).whole_days() + 1).unwrap_or(u32::MAX);
        let mut rng = Rng::with_seed(self.seed);
        let pick_profile = |rng: &mut Rng| weighted_pick(&profile_weights, profile_total, rng);

        let sole_percent = self.shape.map_or(30, |s| s.sole_percent);
        let sizes = company_sizes(self.size, sole_percent, &mut rng);
        let workforce: usize = sizes.iter().sum();
        let mut seen = HashSet::new();
        let site_count = self.shape.map_or((workforce / 40).max(1), |s| s.sites);
        let sites = make_sites(site_count, &mut rng);
        let zipf = self.shape.is_some();

        let mut companies = Vec::with_capacity(sizes.len());
        let mut persons = Vec::with_capacity(workforce);
        for (c, &size) in sizes.iter().enumerate() {
            let sole_trader = size == 1 && rng.u32(..100) < 80;
            let site_n = (1 + size / 40).min(12);
            let mut company_sites: Vec<u32> = (0..site_n)
                .map(|_| {
                    if zipf {
                        zipf_site(site_count, &mut rng)
                    } else {
                        rng.u32(..site_count as u32)
                    }
                })
                .collect();
            company_sites.sort_unstable();
            company_sites.dedup();
            let profile = pick_profile(&mut rng);
            let owner = sole_trader.then(|| Birth::random(&mut rng, false));
            let id = match &owner {
                Some(birth) => birth.ten_digits(),
                None => ids::unique(&mut seen, &mut rng, ids::organisationsnummer),
            };
            for i in 0..size {
                let person_id = match (&owner, rng.u32(..100)) {
                    (Some(birth), _) if i == 0 => birth.twelve_digits(),
                    (_, 0..=84) => ids::unique(&mut seen, &mut rng, |r| {
                        Birth::random(r, false).twelve_digits()
                    }),
                    (_, 85..=92) => ids::unique(&mut seen, &mut rng, |r| {
                        Birth::random(r, true).twelve_digits()
                    }),
                    _ => ids::unique(&mut seen, &mut rng, ids::foreign_id),
                };
                let home_site = company_sites[rng.usize(..company_sites.len())];
                let second_company =
                    (!sole_trader && sizes.len() > 1 && rng.u32(..100) < 4).then(|| {
                        let other = rng.usize(..sizes.len() - 1);
                        (if other >= c { other + 1 } else { other }) as u32
                    });
                persons.push(Person {
                    id: person_id,
                    company: c as u32,
                    second_company,
                    home_site,
                    night: rng.u32(..100) < 6,
                    profile: if rng.u32(..100) < 90 {
                        profile
                    } else {
                        pick_profile(&mut rng)
                    },
                    cards: [ids::card_number(&mut rng), ids::card_number(&mut rng)],
                });
            }
            companies.push(Company {
                id,
                profile,
                sites: company_sites,
                sole_trader,
            });
        }

        let mut population = Population {
            seed: self.seed,
            start: self.start,
            days,
            zone: self.zone.unwrap_or_else(Zone::stockholm),
            companies,
            persons,
            sites,
            profiles: self.profiles.into_iter().map(|(p, _)| p).collect(),
        };
        if self.pseudonymised {
            population.pseudonymise(&mut rng);
        }
        Ok(population)
    }
}

impl Population {
    fn pseudonymise(&mut self, rng: &mut Rng) {
        for c in &mut self.companies {
            c.id = ids::token(rng, "c");
        }
        for s in &mut self.sites {
            s.id = ids::token(rng, "s");
        }
        for p in &mut self.persons {
            p.id = ids::token(rng, "p");
            for card in &mut p.cards {
                *card = ids::token(rng, "k");
            }
        }
    }

    /// Attendance percentage for a day of the week.
    pub(crate) fn attendance(weekday: Weekday) -> u32 {
        match weekday {
            Weekday::Saturday => ATTENDANCE_SATURDAY,
            Weekday::Sunday => ATTENDANCE_SUNDAY,
            _ => ATTENDANCE_WEEKDAY,
        }
    }
}

/// Company sizes: `sole_percent` % sole traders (30 by default); the rest heavy-tailed, doubling with
/// probability 1/2 each step, capped at 5 000 — until the size asked for.
fn company_sizes(size: Size, sole_percent: u32, rng: &mut Rng) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut workforce = 0usize;
    loop {
        match size {
            Size::Companies(n) if sizes.len() >= n => break,
            Size::Workforce(n) if workforce >= n => break,
            _ => {}
        }
        let size = if rng.u32(..100) < sole_percent {
            1
        } else {
            let mut k = 0;
            while k < 12 && rng.bool() {
                k += 1;
            }
            rng.usize((1usize << k) + 1..=(1usize << (k + 1)))
                .min(5_000)
        };
        sizes.push(size);
        workforce += size;
    }
    sizes
}

/// The sites; one in ten closes forgotten shifts with an automatic check-out.
fn make_sites(count: usize, rng: &mut Rng) -> Vec<Site> {
    (0..count)
        .map(|i| Site {
            id: format!("BPL-{:06}", 100_000 + i),
            auto_checkout: (rng.u32(..100) < 10)
                .then(|| [18 * 3_600, 20 * 3_600, 23 * 3_600 + 59 * 60][rng.usize(..3)]),
        })
        .collect()
}

/// An index drawn with probability proportional to its weight.
fn weighted_pick(weights: &[u32], total: u32, rng: &mut Rng) -> usize {
    let mut ticket = rng.u32(..total);
    weights
        .iter()
        .position(|&w| {
            let hit = ticket < w;
            ticket = ticket.saturating_sub(w);
            hit
        })
        .unwrap_or(0)
}

/// A site index with Zipf-like popularity: `count^u − 1` for `u` uniform in
/// [0, 1) is log-uniform, so site `i` is chosen about as often as `1/(i+1)`.
fn zipf_site(count: usize, rng: &mut Rng) -> u32 {
    let i = (count as f64).powf(rng.f64()) - 1.0;
    (i as usize).min(count - 1) as u32
}

/// The documented `national` preset (`loggningsindex generate --preset
/// national`): every large site in Sweden, for benchmarks at national
/// cardinality.
pub mod national {
    use time::{Date, Month};

    /// People (about 381 000 with at least one event at 10 M events).
    pub const PEOPLE: usize = 380_000;
    /// Sites, with Zipf-like popularity.
    pub const SITES: usize = 15_000;
    /// Percent of companies that are one person.
    pub const SOLE_TRADERS_PERCENT: u32 = 55;
    /// Events written.
    pub const EVENTS: u64 = 10_000_000;

    /// The first and last work day: 2026-03-02 to 2026-03-20.
    pub fn days() -> (Date, Date) {
        let day = |d| Date::from_calendar_date(2026, Month::March, d).expect("a valid date");
        (day(2), day(20))
    }

    /// A builder for the preset's population (seed and the rest as given).
    pub fn builder() -> super::PopulationBuilder {
        let (first, last) = days();
        super::Population::builder()
            .workforce(PEOPLE)
            .national(SOLE_TRADERS_PERCENT, SITES)
            .dates(first, last)
    }
}
