//! Planning one person's day: whether they work, for whom, where, how they log,
//! and the events and ground truth that follow.

use fastrand::Rng;
use loggningsindex_core::{Class, Direction, Event, Key, Origin, Timestamp};
use loggningsindex_zone::Offsets;
use time::{Date, Duration};

use crate::Population;
use crate::behaviour::{self, Behaviour, Taps};

use loggningsindex_core::{NANOS_PER_DAY, NANOS_PER_SECOND};

/// One generated check-in or check-out. Ids are indexes into the population.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SynthEvent {
    /// Index into [`Population::persons`].
    pub person: u32,
    /// Index into [`Population::companies`].
    pub company: u32,
    /// Index into [`Population::sites`].
    pub site: u32,
    /// When, with the site's UTC offset then.
    pub at: Timestamp,
    /// `IN` or `OUT`.
    pub direction: Direction,
    /// Who made it: a card reader, or the register itself (`auto`: a
    /// vendor's automatic check-out, which takes no part in shifts).
    pub origin: Origin,
}

impl SynthEvent {
    /// The event for the core, with the population's indexes as ids. Events of
    /// origin `auto` take no part in shifts: leave them out of what you hand
    /// the core (`filter(|e| e.origin.takes_part())`) and count them with
    /// `Summary::add_auto`.
    pub fn to_event(&self) -> Event<u32> {
        Event::new(
            Key::new(self.person, self.company, self.site),
            self.at,
            self.direction,
        )
    }

    /// A total order: by instant, then ids, then `IN` before `OUT`.
    pub(crate) fn order(&self) -> (i64, u32, u32, u32, Direction) {
        (
            self.at.unix_nanos(),
            self.person,
            self.company,
            self.site,
            self.direction,
        )
    }
}

/// What the generator meant by one planned shift: ground truth for tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Truth {
    /// Person, company and site, as population indexes.
    pub key: Key<u32>,
    /// The day the person started working (a night shift missing its `IN` has
    /// its first event on the next day).
    pub work_day: Date,
    /// The shift's first event.
    pub first: Timestamp,
    /// How the person logged.
    pub behaviour: Behaviour,
    /// The class a fair observer would give the shift.
    pub intended: Class,
    /// The classes the rules give: the shifts, in time order, that the core
    /// forms from this planned shift's events. Equal to `[intended]` where
    /// [`Behaviour::rules_agree`].
    pub expected: &'static [Class],
    /// Automatic check-outs the register wrote for this shift (origin `auto`).
    pub auto_events: u32,
}

/// One person's shift on one day, before it is turned into events.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Planned {
    person: u32,
    company: u32,
    site: u32,
    behaviour: Behaviour,
    taps: Taps,
}

impl Population {
    /// An independent random stream for one person and day, so any day can be
    /// generated without the days before it.
    fn day_rng(&self, person: u32, day: u32) -> Rng {
        let mix = self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ u64::from(person).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
            ^ u64::from(day).wrapping_mul(0x1656_67B1_9E37_79F9);
        Rng::with_seed(mix)
    }

    pub(crate) fn date(&self, day: u32) -> Date {
        self.start + Duration::days(i64::from(day))
    }

    /// Whether the person works on `day` and how they log, before rest rules.
    fn draw(&self, person: u32, day: u32) -> Option<(Rng, Behaviour)> {
        let mut rng = self.day_rng(person, day);
        let attendance = Population::attendance(self.date(day).weekday());
        if rng.u32(..100) >= attendance {
            return None;
        }
        let p = &self.persons[person as usize];
        let behaviour = self.profiles[p.profile].draw(&mut rng, p.night);
        Some((rng, behaviour))
    }

    /// The person's shift on `day`, if they work then.
    pub(crate) fn plan(&self, person: u32, day: u32) -> Option<Planned> {
        let (mut rng, mut behaviour) = self.draw(person, day)?;
        // After a night of more than 13 hours, a rest day: it keeps the long
        // night's lone OUT apart from the next evening's IN.
        let night = self.persons[person as usize].night;
        if night && day > 0 && matches!(self.draw(person, day - 1), Some((_, Behaviour::LongNight)))
        {
            return None;
        }
        let p = &self.persons[person as usize];
        let (company, site) = match p.second_company {
            Some(second) if rng.u32(..100) < 20 => {
                let sites = &self.companies[second as usize].sites;
                (second, sites[rng.usize(..sites.len())])
            }
            _ if rng.u32(..100) < 5 => {
                let sites = &self.companies[p.company as usize].sites;
                (p.company, sites[rng.usize(..sites.len())])
            }
            _ => (p.company, p.home_site),
        };
        let auto_checkout = self.sites[site as usize].auto_checkout;
        if behaviour == Behaviour::ForgotOut && auto_checkout.is_some() {
            behaviour = Behaviour::AutoCheckout;
        }
        Some(Planned {
            person,
            company,
            site,
            behaviour,
            taps: behaviour::taps(&mut rng, behaviour, auto_checkout),
        })
    }

    /// Turns a planned shift on `day` into events (passed to `emit`) and its truth.
    pub(crate) fn expand(
        &self,
        planned: &Planned,
        day: u32,
        offsets: &mut Offsets,
        mut emit: impl FnMut(SynthEvent),
    ) -> Truth {
        let date = self.date(day);
        let local_midnight = loggningsindex_core::epoch_days(date) * NANOS_PER_DAY;
        let resolve = |offsets: &mut Offsets, seconds: i64| {
            let local = local_midnight + seconds * NANOS_PER_SECOND;
            // Generated local times are inside 2026-ish; resolution cannot fail.
            offsets.resolve_local(local).unwrap_or(local)
        };
        let first = resolve(offsets, planned.taps.start);
        let mut event = |offsets: &mut Offsets, instant: i64, direction, origin| {
            let at = Timestamp::new(instant, offsets.offset_at(instant));
            emit(SynthEvent {
                person: planned.person,
                company: planned.company,
                site: planned.site,
                at,
                direction,
                origin,
            });
            at
        };
        let mut first_at = None;
        for &(after, direction) in &planned.taps.taps[..planned.taps.len] {
            let at = event(
                offsets,
                first + after * NANOS_PER_SECOND,
                direction,
                Origin::Card,
            );
            first_at.get_or_insert(at);
        }
        let mut auto_events = 0;
        if let Some(auto) = planned.taps.auto_out {
            let out = resolve(offsets, auto);
            event(offsets, out, Direction::Out, Origin::Auto);
            auto_events = 1;
        }
        Truth {
            key: Key::new(planned.person, planned.company, planned.site),
            work_day: date,
            first: first_at.unwrap_or(Timestamp::new(first, offsets.offset_at(first))),
            behaviour: planned.behaviour,
            intended: planned.behaviour.intended(),
            expected: behaviour::expected(planned.behaviour),
            auto_events,
        }
    }
}
