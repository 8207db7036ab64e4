//! How people log a shift, and what the rules should make of it.

use core::fmt;

use fastrand::Rng;
use loggningsindex_core::Class::{self, Correct, MissingBoth, MissingIn, MissingOut};
use loggningsindex_core::Direction::{self, In, Out};

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;

/// One way a person logs (or fails to log) one work shift.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Behaviour {
    /// Day shift: `IN` on arrival, `OUT` on leaving.
    Correct,
    /// Day shift with a lunch exit: `IN`, `OUT`, `IN`, `OUT`.
    Lunch,
    /// `OUT` by mistake on arrival, corrected by an `IN` within 30 s.
    CorrectionTap,
    /// A double registration: two `IN`s seconds apart on arrival.
    DoubleTap,
    /// A stray `IN` within 30 s after the final `OUT`.
    StrayTap,
    /// Forgot to check out.
    ForgotOut,
    /// Forgot to check in.
    ForgotIn,
    /// Tapped `OUT` on arrival and `IN` on leaving.
    Swapped,
    /// Forgot to check out at a site whose register checks everyone out at a
    /// fixed time of day (a vendor auto-check-out).
    AutoCheckout,
    /// Night shift crossing midnight, logged correctly.
    Night,
    /// Night shift, forgot to check out.
    NightForgotOut,
    /// Night shift, forgot to check in.
    NightForgotIn,
    /// Night shift longer than 13 hours, logged correctly.
    LongNight,
}

impl Behaviour {
    /// Behaviours of people who work days.
    pub const DAY: [Behaviour; 8] = [
        Behaviour::Correct,
        Behaviour::Lunch,
        Behaviour::CorrectionTap,
        Behaviour::DoubleTap,
        Behaviour::StrayTap,
        Behaviour::ForgotOut,
        Behaviour::ForgotIn,
        Behaviour::Swapped,
    ];
    /// Behaviours of people who work nights.
    pub const NIGHT: [Behaviour; 4] = [
        Behaviour::Night,
        Behaviour::NightForgotOut,
        Behaviour::NightForgotIn,
        Behaviour::LongNight,
    ];

    /// What the person meant to achieve: the class a fair observer would give
    /// the shift.
    pub fn intended(self) -> Class {
        match self {
            Behaviour::Correct
            | Behaviour::Lunch
            | Behaviour::CorrectionTap
            | Behaviour::DoubleTap
            | Behaviour::StrayTap
            | Behaviour::Night
            | Behaviour::LongNight => Correct,
            Behaviour::ForgotOut | Behaviour::AutoCheckout | Behaviour::NightForgotOut => {
                MissingOut
            }
            Behaviour::ForgotIn | Behaviour::NightForgotIn => MissingIn,
            Behaviour::Swapped => MissingBoth,
        }
    }

    /// Whether the rules can see this behaviour as intended. Where they cannot,
    /// [`crate::Truth::expected`] says what they see instead.
    pub fn rules_agree(self) -> bool {
        !matches!(self, Behaviour::LongNight)
    }
}

impl fmt::Display for Behaviour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Relative weights of behaviours: how a group of people logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// A short name, for reports about the data.
    pub name: &'static str,
    /// Weights of [`Behaviour::DAY`], in that order.
    pub day: [u32; 8],
    /// Weights of [`Behaviour::NIGHT`], in that order.
    pub night: [u32; 4],
}

impl Profile {
    /// Almost always logs correctly.
    pub const CAREFUL: Profile = Profile {
        name: "careful",
        day: [700, 200, 30, 30, 20, 10, 8, 2],
        night: [960, 20, 15, 5],
    };
    /// Mostly correct; forgets now and then.
    pub const AVERAGE: Profile = Profile {
        name: "average",
        day: [600, 180, 30, 30, 20, 80, 50, 10],
        night: [850, 70, 50, 30],
    };
    /// Forgets often.
    pub const FORGETFUL: Profile = Profile {
        name: "forgetful",
        day: [400, 120, 30, 20, 20, 250, 130, 30],
        night: [650, 180, 120, 50],
    };
    /// Only one behaviour, for tests.
    pub fn only(behaviour: Behaviour) -> Profile {
        let mut profile = Profile {
            name: "single",
            day: [0; 8],
            night: [0; 4],
        };
        if let Some(i) = Behaviour::DAY.iter().position(|b| *b == behaviour) {
            profile.day[i] = 1;
        }
        if let Some(i) = Behaviour::NIGHT.iter().position(|b| *b == behaviour) {
            profile.night[i] = 1;
        }
        profile
    }

    pub(crate) fn draw(&self, rng: &mut Rng, night: bool) -> Behaviour {
        if night {
            pick(rng, &Behaviour::NIGHT, &self.night)
        } else {
            pick(rng, &Behaviour::DAY, &self.day)
        }
    }
}

fn pick(rng: &mut Rng, options: &[Behaviour], weights: &[u32]) -> Behaviour {
    let total: u32 = weights.iter().sum();
    if total == 0 {
        return options[0];
    }
    let mut ticket = rng.u32(..total);
    for (option, &weight) in options.iter().zip(weights) {
        if ticket < weight {
            return *option;
        }
        ticket -= weight;
    }
    options[0]
}

/// Up to four taps of one shift: seconds from local midnight of the work day
/// (for arrival; the shift's length is added as elapsed time) and direction.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Taps {
    /// Local seconds after midnight of the first tap.
    pub(crate) start: i64,
    /// Elapsed seconds after the first tap, and direction.
    pub(crate) taps: [(i64, Direction); 4],
    pub(crate) len: usize,
    /// Local seconds after midnight of an auto-check-out, measured on the
    /// local clock rather than elapsed.
    pub(crate) auto_out: Option<i64>,
}

impl Taps {
    fn push(&mut self, after: i64, direction: Direction) {
        self.taps[self.len] = (after, direction);
        self.len += 1;
    }
}

/// The taps of one shift of `behaviour`. Day shifts start 06:00–08:59 and last
/// 7–10 h (a swapped one under 7 h); nights start 21:30–22:29 and last 7–8.5 h;
/// long nights start 21:30–21:59 and last 13.5–14.5 h, and are followed by a
/// rest day. These bounds keep a person's shifts on consecutive days more than
/// 13 h apart (a lone OUT never meets the next IN), so each planned shift is
/// judged on its own.
pub(crate) fn taps(rng: &mut Rng, behaviour: Behaviour, auto_checkout: Option<i64>) -> Taps {
    let mut t = Taps {
        start: 0,
        taps: [(0, In); 4],
        len: 0,
        auto_out: None,
    };
    let seconds = |rng: &mut Rng, lo: i64, hi: i64| rng.i64(lo..hi);
    match behaviour {
        Behaviour::Night | Behaviour::NightForgotOut | Behaviour::NightForgotIn => {
            t.start = seconds(rng, 21 * HOUR + 30 * MINUTE, 22 * HOUR + 30 * MINUTE);
            let length = seconds(rng, 7 * HOUR, 8 * HOUR + 30 * MINUTE);
            match behaviour {
                Behaviour::Night => {
                    t.push(0, In);
                    t.push(length, Out);
                }
                Behaviour::NightForgotOut => t.push(0, In),
                _ => {
                    t.start += length;
                    t.push(0, Out);
                }
            }
        }
        Behaviour::LongNight => {
            t.start = seconds(rng, 21 * HOUR + 30 * MINUTE, 22 * HOUR);
            t.push(0, In);
            t.push(
                seconds(rng, 13 * HOUR + 30 * MINUTE, 14 * HOUR + 30 * MINUTE),
                Out,
            );
        }
        _ => {
            t.start = seconds(rng, 6 * HOUR, 9 * HOUR);
            let length = seconds(rng, 7 * HOUR, 10 * HOUR);
            match behaviour {
                Behaviour::Lunch => {
                    let out = seconds(rng, 3 * HOUR, 5 * HOUR);
                    t.push(0, In);
                    t.push(out, Out);
                    t.push(out + seconds(rng, 20 * MINUTE, 60 * MINUTE), In);
                    t.push(length, Out);
                }
                Behaviour::CorrectionTap => {
                    t.push(0, Out);
                    t.push(seconds(rng, 2, 26), In);
                    t.push(length, Out);
                }
                Behaviour::DoubleTap => {
                    t.push(0, In);
                    t.push(seconds(rng, 1, 6), In);
                    t.push(length, Out);
                }
                Behaviour::StrayTap => {
                    t.push(0, In);
                    t.push(length, Out);
                    t.push(length + seconds(rng, 2, 26), In);
                }
                Behaviour::ForgotOut | Behaviour::AutoCheckout => {
                    t.push(0, In);
                    t.auto_out = auto_checkout;
                }
                Behaviour::ForgotIn => {
                    t.start += length;
                    t.push(0, Out);
                }
                Behaviour::Swapped => {
                    // The dangling IN must end before 16:00, so that 13 h
                    // later (even across a DST change) is before the next
                    // morning's first tap.
                    t.push(0, Out);
                    t.push(seconds(rng, 6 * HOUR, 7 * HOUR), In);
                }
                _ => {
                    t.push(0, In);
                    t.push(length, Out);
                }
            }
        }
    }
    t
}

/// The classes the rules give the events of a shift of `behaviour`. The
/// register's automatic `OUT` (origin `auto`) takes no part (RULES §7), so a
/// forgotten check-out stays missing.
pub(crate) fn expected(behaviour: Behaviour) -> &'static [Class] {
    const SPLIT: &[Class] = &[MissingOut, MissingIn];
    match behaviour {
        Behaviour::LongNight => SPLIT,
        Behaviour::AutoCheckout => &[MissingOut],
        Behaviour::Correct
        | Behaviour::Lunch
        | Behaviour::CorrectionTap
        | Behaviour::DoubleTap
        | Behaviour::StrayTap
        | Behaviour::Night => &[Correct],
        Behaviour::ForgotOut | Behaviour::NightForgotOut => &[MissingOut],
        Behaviour::ForgotIn | Behaviour::NightForgotIn => &[MissingIn],
        Behaviour::Swapped => &[MissingBoth],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_pick_every_listed_behaviour_and_nothing_else() {
        let mut rng = Rng::with_seed(1);
        let profile = Profile::only(Behaviour::Swapped);
        assert!((0..100).all(|_| profile.draw(&mut rng, false) == Behaviour::Swapped));
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..10_000 {
            seen.insert(Profile::FORGETFUL.draw(&mut rng, false));
            seen.insert(Profile::FORGETFUL.draw(&mut rng, true));
        }
        assert_eq!(seen.len(), 12);
    }

    #[test]
    fn intent_and_rules_agree_except_where_documented() {
        let all = Behaviour::DAY.into_iter().chain(Behaviour::NIGHT);
        for b in all.chain([Behaviour::AutoCheckout]) {
            let rules = expected(b);
            assert_eq!(b.rules_agree(), rules == [b.intended()], "{b}");
        }
    }
}
