//! Log events: who, for which company, where, when and which way.

use core::cmp::Ordering;
use core::fmt;

use time::{Date, OffsetDateTime, UtcOffset};

use crate::error::{Error, Result};

/// Nanoseconds in one second.
pub const NANOS_PER_SECOND: i64 = 1_000_000_000;
/// Nanoseconds in one (24-hour) calendar day of local time.
pub const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SECOND;
/// Julian day number of 1970-01-01, the Unix epoch.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// Days from 1970-01-01 to `date` (negative before it): the one conversion
/// between calendar dates and the day numbers timestamps are counted in.
///
/// ```
/// use loggningsindex_core::{date_from_epoch_days, epoch_days};
/// use time::macros::date;
///
/// assert_eq!(epoch_days(date!(1970 - 01 - 02)), 1);
/// assert_eq!(date_from_epoch_days(epoch_days(date!(2026 - 03 - 29))), Some(date!(2026 - 03 - 29)));
/// ```
pub fn epoch_days(date: Date) -> i64 {
    i64::from(date.to_julian_day()) - i64::from(UNIX_EPOCH_JULIAN_DAY)
}

/// The calendar date `days` after 1970-01-01, if `time` can represent it.
pub fn date_from_epoch_days(days: i64) -> Option<Date> {
    let julian = days.checked_add(i64::from(UNIX_EPOCH_JULIAN_DAY))?;
    Date::from_julian_day(i32::try_from(julian).ok()?).ok()
}

/// Which way a person passed: checked in (`IN`) or checked out (`OUT`, Swedish `UT`).
///
/// `In` orders before `Out`, which is the tie-break docs/rules.md §2 prescribes for
/// events at the same instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "UPPERCASE"))]
pub enum Direction {
    /// Check-in (`IN`).
    In,
    /// Check-out (`OUT`, `UT`).
    #[cfg_attr(feature = "serde", serde(alias = "UT"))]
    Out,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::In => "IN",
            Direction::Out => "OUT",
        })
    }
}

/// Who made a registration (RULES §7). Only [`Origin::Auto`] matters to the
/// rules: such an event is written by a system, not by the person, and takes
/// no part in shifts (see [`crate::Summary::add_auto`]).
///
/// ```
/// use loggningsindex_core::Origin;
///
/// assert_eq!("AUTO".parse::<Origin>(), Ok(Origin::Auto));
/// assert_eq!("".parse::<Origin>(), Ok(Origin::Unknown));
/// assert!(!Origin::Auto.takes_part());
/// assert!("robot".parse::<Origin>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Origin {
    /// Not said (an empty `origin`, or no such column).
    #[default]
    Unknown,
    /// A card reader.
    Card,
    /// Mobilt ID06 or another app.
    App,
    /// Entered by hand at the time.
    Manual,
    /// Written by a system, not by the person (e.g. a check-out at midnight).
    Auto,
}

impl Origin {
    /// Whether an event of this origin takes part in forming and judging shifts.
    pub fn takes_part(self) -> bool {
        self != Origin::Auto
    }

    /// The spelling in event files: `card`, `app`, `manual`, `auto`, or empty.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Unknown => "",
            Origin::Card => "card",
            Origin::App => "app",
            Origin::Manual => "manual",
            Origin::Auto => "auto",
        }
    }
}

impl Origin {
    /// Reads an origin as written in an event file: `card`, `app`, `manual`,
    /// `auto` or empty, in any case, surrounding spaces and tabs ignored;
    /// `None` for anything else. The spellings registers write are tried
    /// first, as this runs once per row.
    pub fn from_bytes(text: &[u8]) -> Option<Origin> {
        match text {
            b"card" => return Some(Origin::Card),
            b"" => return Some(Origin::Unknown),
            b"auto" => return Some(Origin::Auto),
            _ => {}
        }
        let start = text.iter().position(|b| !matches!(b, b' ' | b'\t'));
        let end = text.iter().rposition(|b| !matches!(b, b' ' | b'\t'));
        let text = match (start, end) {
            (Some(start), Some(end)) => &text[start..=end],
            _ => return Some(Origin::Unknown),
        };
        [Origin::Card, Origin::App, Origin::Manual, Origin::Auto]
            .into_iter()
            .find(|o| o.as_str().as_bytes().eq_ignore_ascii_case(text))
    }
}

impl core::str::FromStr for Origin {
    type Err = Error;

    /// As [`Origin::from_bytes`].
    fn from_str(text: &str) -> Result<Origin> {
        Origin::from_bytes(text.as_bytes()).ok_or(Error::UnknownOrigin)
    }
}

/// The shift key of docs/rules.md §2: events with different keys never share a shift.
///
/// `Id` is whatever identifies people, companies and sites: `&str` or `String` for
/// small programs, a compact integer for bulk work that interns identifiers once.
/// Keys order by person, then company, then site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Key<Id> {
    /// The individual (an opaque pseudonym in production).
    pub person: Id,
    /// The company whose ID06 card the individual used.
    pub company: Id,
    /// The workplace (arbetsplats) where the event was registered.
    pub site: Id,
}

impl<Id> Key<Id> {
    /// A key from its three parts.
    pub const fn new(person: Id, company: Id, site: Id) -> Self {
        Key {
            person,
            company,
            site,
        }
    }
}

/// An absolute instant together with the UTC offset in force at the site then.
///
/// The instant alone orders events; the offset only yields the *local date*
/// (docs/rules.md §1). Stored compactly as nanoseconds since the Unix epoch and the
/// offset in seconds, so the representable range is the years 1678–2261.
///
/// ```
/// use loggningsindex_core::Timestamp;
/// use time::macros::{date, datetime};
///
/// // 23:30 UTC on 2 March is already 3 March in Stockholm (+01:00).
/// let at = Timestamp::from_offset_datetime(datetime!(2026-03-03 00:30 +01:00))?;
/// assert_eq!(at.local_date(), date!(2026-03-03));
///
/// // Outside the supported range:
/// assert!(Timestamp::from_offset_datetime(datetime!(2300-01-01 00:00 UTC)).is_err());
/// # Ok::<(), loggningsindex_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Timestamp {
    unix_nanos: i64,
    offset_seconds: i32,
}

impl Timestamp {
    /// A timestamp from nanoseconds since 1970-01-01T00:00:00Z and the site's UTC offset.
    pub const fn new(unix_nanos: i64, offset: UtcOffset) -> Self {
        Timestamp {
            unix_nanos,
            offset_seconds: offset.whole_seconds(),
        }
    }

    /// The instant and offset of an [`OffsetDateTime`].
    ///
    /// # Errors
    ///
    /// [`Error::TimestampOutOfRange`] when the instant does not fit in 64-bit
    /// nanoseconds since the Unix epoch (before 1678 or after 2261).
    pub fn from_offset_datetime(at: OffsetDateTime) -> Result<Self> {
        let nanos = at.unix_timestamp_nanos();
        let unix_nanos = i64::try_from(nanos).map_err(|_| Error::TimestampOutOfRange)?;
        Ok(Timestamp::new(unix_nanos, at.offset()))
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z.
    pub const fn unix_nanos(self) -> i64 {
        self.unix_nanos
    }

    /// The UTC offset in force at the site at this instant.
    pub fn offset(self) -> UtcOffset {
        // The offset came from a `UtcOffset`, so it is always in range.
        UtcOffset::from_whole_seconds(self.offset_seconds).unwrap_or(UtcOffset::UTC)
    }

    /// Nanoseconds since 1970-01-01T00:00 *local* time (instant plus offset).
    pub(crate) const fn local_nanos(self) -> i64 {
        // Saturating: at the very ends of the range the local day is clamped
        // rather than overflowing.
        self.unix_nanos
            .saturating_add(self.offset_seconds as i64 * NANOS_PER_SECOND)
    }

    /// The local date as a day number counted from 1970-01-01.
    pub(crate) const fn local_day(self) -> i32 {
        // |local_nanos / NANOS_PER_DAY| < 2^17, so the cast cannot truncate.
        self.local_nanos().div_euclid(NANOS_PER_DAY) as i32
    }

    /// The calendar date of `instant + offset`: the event's local date.
    pub fn local_date(self) -> Date {
        date_from_day(self.local_day())
    }

    /// The same instant as an [`OffsetDateTime`] in the site's offset.
    pub fn to_offset_datetime(self) -> OffsetDateTime {
        // Every i64 nanosecond count is inside `OffsetDateTime`'s range.
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.unix_nanos))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .to_offset(self.offset())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.to_offset_datetime();
        let offset = self.offset();
        write!(
            f,
            "{} {:02}:{:02}:{:02}",
            at.date(),
            at.hour(),
            at.minute(),
            at.second()
        )?;
        if at.nanosecond() != 0 {
            write!(f, ".{:09}", at.nanosecond())?;
        }
        let sign = if offset.is_negative() { '-' } else { '+' };
        write!(
            f,
            "{sign}{:02}:{:02}",
            offset.whole_hours().unsigned_abs(),
            offset.minutes_past_hour().unsigned_abs()
        )
    }
}

/// The calendar date of a day number counted from 1970-01-01.
pub(crate) fn date_from_day(day: i32) -> Date {
    // Day numbers come from i64 nanoseconds, far inside `Date`'s range.
    Date::from_julian_day(day + UNIX_EPOCH_JULIAN_DAY).unwrap_or(Date::MIN)
}

/// One check-in or check-out: a log event (loggning) of docs/rules.md §1.
///
/// Card numbers, reader ids and other fields play no part in the rules, so the
/// core does not carry them; a caller that needs them keeps them alongside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Event<Id> {
    /// Person, company and site.
    pub key: Key<Id>,
    /// When it happened, with the site's UTC offset.
    pub at: Timestamp,
    /// `IN` or `OUT`.
    pub direction: Direction,
}

impl<Id> Event<Id> {
    /// An event from its parts.
    pub const fn new(key: Key<Id>, at: Timestamp, direction: Direction) -> Self {
        Event { key, at, direction }
    }

    /// The order of events in time, ignoring keys: by instant, `IN` before
    /// `OUT` at the same instant, then by offset so that the order is total.
    /// Within one key this is the canonical order of docs/rules.md §2.
    ///
    /// ```
    /// use loggningsindex_core::{Direction, Event, Key, Timestamp};
    ///
    /// let at = Timestamp::new(0, time::UtcOffset::UTC);
    /// let out = Event::new(Key::new(1, 1, 1), at, Direction::Out);
    /// let in_ = Event::new(Key::new(1, 1, 1), at, Direction::In);
    /// assert!(in_.time_order(&out).is_lt());
    /// ```
    pub fn time_order(&self, other: &Self) -> Ordering {
        cmp_in_key((self.at, self.direction), (other.at, other.direction))
    }
}

/// The order of events *within one key* (docs/rules.md §2): by instant, `IN` before
/// `OUT` at the same instant, then by offset so that the order is total.
pub(crate) fn cmp_in_key(a: (Timestamp, Direction), b: (Timestamp, Direction)) -> Ordering {
    a.0.unix_nanos
        .cmp(&b.0.unix_nanos)
        .then(a.1.cmp(&b.1))
        .then(a.0.offset_seconds.cmp(&b.0.offset_seconds))
}

/// The canonical order of a whole event set: by key, then [`cmp_in_key`].
pub(crate) fn cmp_canonical<Id: Ord>(a: &Event<Id>, b: &Event<Id>) -> Ordering {
    a.key
        .cmp(&b.key)
        .then_with(|| cmp_in_key((a.at, a.direction), (b.at, b.direction)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, offset};

    #[test]
    fn local_date_uses_the_offset_not_utc() {
        let at = Timestamp::from_offset_datetime(datetime!(2026-03-02 23:30 UTC))
            .unwrap()
            .to_offset_datetime()
            .to_offset(offset!(+01:00));
        let at = Timestamp::from_offset_datetime(at).unwrap();
        assert_eq!(at.local_date(), date!(2026 - 03 - 03));
    }

    #[test]
    fn local_date_before_the_epoch() {
        let at = Timestamp::from_offset_datetime(datetime!(1969-12-31 23:59:59.5 +00:00)).unwrap();
        assert_eq!(at.local_date(), date!(1969 - 12 - 31));
    }

    #[test]
    fn display_round_trips_fraction_and_offset() {
        let at = Timestamp::from_offset_datetime(datetime!(2026-10-25 02:30:00.25 +02:00)).unwrap();
        assert_eq!(at.to_string(), "2026-10-25 02:30:00.250000000+02:00");
        let neg = Timestamp::from_offset_datetime(datetime!(2026-01-01 00:00 -03:30)).unwrap();
        assert_eq!(neg.to_string(), "2026-01-01 00:00:00-03:30");
    }

    #[test]
    fn in_orders_before_out_at_the_same_instant() {
        let at = Timestamp::new(0, UtcOffset::UTC);
        assert_eq!(
            cmp_in_key((at, Direction::Out), (at, Direction::In)),
            Ordering::Greater
        );
    }

    #[test]
    fn the_ends_of_the_range_do_not_overflow() {
        use crate::{Direction, Event, Key, SortedEvents};
        let plus = UtcOffset::from_hms(14, 0, 0).unwrap();
        let minus = UtcOffset::from_hms(-12, 0, 0).unwrap();
        let mut events = [
            Event::new(
                Key::new(1, 1, 1),
                Timestamp::new(i64::MAX, plus),
                Direction::In,
            ),
            Event::new(
                Key::new(1, 1, 1),
                Timestamp::new(i64::MAX - 1, plus),
                Direction::In,
            ),
            Event::new(
                Key::new(2, 1, 1),
                Timestamp::new(i64::MIN, minus),
                Direction::Out,
            ),
            Event::new(
                Key::new(2, 1, 1),
                Timestamp::new(i64::MIN + 1, minus),
                Direction::In,
            ),
        ];
        let shifts: Vec<_> = SortedEvents::sort(&mut events).shifts().collect();
        assert_eq!(shifts.len(), 2);
        let _ = Timestamp::new(i64::MAX, plus).to_string();
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert_eq!(
            Timestamp::from_offset_datetime(datetime!(1600-01-01 00:00 UTC)),
            Err(Error::TimestampOutOfRange)
        );
    }
}
