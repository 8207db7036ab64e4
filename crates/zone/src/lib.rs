//! Site time zones: the UTC offset in force at a site at an instant, and the
//! instant a naive local time means there.
//!
//! docs/rules.md §1 takes an event's local date from the offset *of the site's time
//! zone* at the event's instant, not from whatever offset a file wrote. This
//! crate answers that question from the IANA time-zone database (bundled, via
//! `jiff`), never from hand-written DST rules, and caches the answer so that a
//! hot loop pays for a database lookup only when it crosses a transition.
//!
//! ```
//! use loggningsindex_zone::Zone;
//! use time::macros::{datetime, offset};
//!
//! let zone = Zone::get("Europe/Stockholm")?;
//! let mut offsets = zone.offsets();
//! // A night shift stored in UTC: 23:30 Z is 00:30 the next day in Stockholm.
//! let at = datetime!(2026-03-02 23:30 UTC).unix_timestamp_nanos() as i64;
//! assert_eq!(offsets.offset_at(at), offset!(+01:00));
//!
//! // 02:30 on 29 March 2026 does not exist; it means 03:30 +02:00.
//! let gap = datetime!(2026-03-29 02:30 UTC).unix_timestamp_nanos() as i64;
//! let instant = offsets.resolve_local(gap)?;
//! assert_eq!(instant, datetime!(2026-03-29 03:30 +02:00).unix_timestamp_nanos() as i64);
//!
//! assert!(Zone::get("Europe/Atlantis").is_err());
//! # Ok::<(), loggningsindex_zone::Error>(())
//! ```
//!
//! # What this crate does not do
//!
//! It parses no timestamps and reads no files; it only maps instants to offsets
//! and local times to instants.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use jiff::tz::TimeZone;
use time::UtcOffset;

/// The zone used when none is configured.
pub const DEFAULT_ZONE: &str = "Europe/Stockholm";

const NANOS_PER_SECOND: i64 = 1_000_000_000;
/// A local time this far from a transition cannot be ambiguous: no zone moves
/// its clocks by a day.
const SAFE_MARGIN: i64 = 86_400 * NANOS_PER_SECOND;

/// What can go wrong with time zones.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The name is not in the bundled IANA database.
    #[error("unknown time zone {name:?}")]
    UnknownZone {
        /// The name asked for.
        name: String,
    },
    /// A local time outside the range the database and 64-bit nanoseconds cover.
    #[error("local time outside the supported range")]
    OutOfRange,
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// An IANA time zone, such as `Europe/Stockholm`.
#[derive(Clone, Debug)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    /// The zone named `name`, from the bundled IANA database.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownZone`] if there is no such zone.
    pub fn get(name: &str) -> Result<Zone> {
        let tz = TimeZone::get(name).map_err(|_| Error::UnknownZone {
            name: name.to_string(),
        })?;
        Ok(Zone {
            name: name.to_string(),
            tz,
        })
    }

    /// `Europe/Stockholm`, the default site zone.
    pub fn stockholm() -> Zone {
        // The bundled database always has it; `UTC` is the impossible fallback.
        Zone::get(DEFAULT_ZONE).unwrap_or_else(|_| Zone {
            name: "UTC".to_string(),
            tz: TimeZone::UTC,
        })
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A cache of this zone's offsets, for one thread's hot loop.
    pub fn offsets(&self) -> Offsets {
        Offsets {
            zone: self.clone(),
            span: None,
        }
    }
}

/// A [`Zone`] with the last offset it found and the span of instants over which
/// that offset holds. Cheap when consecutive questions fall in one span.
#[derive(Clone, Debug)]
pub struct Offsets {
    zone: Zone,
    span: Option<Span>,
}

/// Instants `[start, end)` (Unix nanoseconds) over which `offset` holds.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: i64,
    end: i64,
    offset: UtcOffset,
    /// `offset` in nanoseconds.
    offset_nanos: i64,
}

impl Offsets {
    /// The zone's UTC offset at the instant `unix_nanos`.
    pub fn offset_at(&mut self, unix_nanos: i64) -> UtcOffset {
        self.span_at(unix_nanos).offset
    }

    fn span_at(&mut self, unix_nanos: i64) -> Span {
        if let Some(span) = self.span
            && span.start <= unix_nanos
            && unix_nanos < span.end
        {
            return span;
        }
        let span = self.lookup(unix_nanos);
        self.span = Some(span);
        span
    }

    fn lookup(&self, unix_nanos: i64) -> Span {
        let tz = &self.zone.tz;
        let Ok(at) = jiff::Timestamp::from_nanosecond(i128::from(unix_nanos)) else {
            // Outside jiff's range (beyond year 9999 is impossible for i64, so
            // this is unreachable in practice): treat as UTC for that instant.
            return Span {
                start: unix_nanos,
                end: unix_nanos.saturating_add(1),
                offset: UtcOffset::UTC,
                offset_nanos: 0,
            };
        };
        let seconds = tz.to_offset(at).seconds();
        let offset = UtcOffset::from_whole_seconds(seconds).unwrap_or(UtcOffset::UTC);
        let to_nanos = |t: jiff::Timestamp| i64::try_from(t.as_nanosecond()).ok();
        // `preceding` is strict, so ask from one nanosecond later to include a
        // transition exactly at `unix_nanos`.
        let start = at
            .checked_add(jiff::SignedDuration::from_nanos(1))
            .ok()
            .and_then(|after| tz.preceding(after).next())
            .and_then(|t| to_nanos(t.timestamp()))
            .unwrap_or(i64::MIN);
        let end = tz
            .following(at)
            .next()
            .and_then(|t| to_nanos(t.timestamp()))
            .unwrap_or(i64::MAX);
        Span {
            start,
            end,
            offset,
            offset_nanos: i64::from(seconds) * NANOS_PER_SECOND,
        }
    }

    /// The instant that a naive local time means in this zone, given as
    /// nanoseconds since 1970-01-01T00:00 *local*.
    ///
    /// A local time that occurs twice (autumn) means the earlier instant; one that
    /// does not exist (spring) is moved forward by the length of the gap — the
    /// "compatible" semantics of RFC 5545 that docs/formats.md prescribes.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] for a local time the database or 64-bit nanoseconds
    /// cannot represent.
    pub fn resolve_local(&mut self, local_nanos: i64) -> Result<i64> {
        // Fast path: the cached offset holds well inside its span.
        if let Some(span) = self.span {
            let guess = local_nanos - span.offset_nanos;
            if span.start.saturating_add(SAFE_MARGIN) <= guess
                && guess < span.end.saturating_sub(SAFE_MARGIN)
            {
                return Ok(guess);
            }
        }
        let instant = self.resolve_slow(local_nanos)?;
        self.span_at(instant);
        Ok(instant)
    }

    fn resolve_slow(&self, local_nanos: i64) -> Result<i64> {
        let seconds = local_nanos.div_euclid(NANOS_PER_SECOND);
        let nanos = local_nanos.rem_euclid(NANOS_PER_SECOND);
        // Read the local time as if it were UTC, to get its civil fields.
        let civil = jiff::Timestamp::new(seconds, nanos as i32)
            .map_err(|_| Error::OutOfRange)?
            .to_zoned_datetime(TimeZone::UTC)
            .datetime();
        let instant = self
            .zone
            .tz
            .to_ambiguous_timestamp(civil)
            .compatible()
            .map_err(|_| Error::OutOfRange)?;
        i64::try_from(instant.as_nanosecond()).map_err(|_| Error::OutOfRange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, offset};

    fn nanos(t: time::OffsetDateTime) -> i64 {
        t.unix_timestamp_nanos() as i64
    }

    /// Local wall-clock time, expressed as nanoseconds since local 1970-01-01.
    fn local(t: time::PrimitiveDateTime) -> i64 {
        nanos(t.assume_utc())
    }

    #[test]
    fn offsets_across_both_2026_dst_changes() {
        let mut offsets = Zone::stockholm().offsets();
        // Spring: 2026-03-29 01:00 UTC.
        assert_eq!(
            offsets.offset_at(nanos(datetime!(2026-03-29 00:59:59.999_999_999 UTC))),
            offset!(+01:00)
        );
        assert_eq!(
            offsets.offset_at(nanos(datetime!(2026-03-29 01:00 UTC))),
            offset!(+02:00)
        );
        // Autumn: 2026-10-25 01:00 UTC.
        assert_eq!(
            offsets.offset_at(nanos(datetime!(2026-10-25 00:59:59 UTC))),
            offset!(+02:00)
        );
        assert_eq!(
            offsets.offset_at(nanos(datetime!(2026-10-25 01:00 UTC))),
            offset!(+01:00)
        );
        // And back again, out of order, through the cache.
        assert_eq!(
            offsets.offset_at(nanos(datetime!(2026-07-01 12:00 UTC))),
            offset!(+02:00)
        );
        assert_eq!(
            offsets.offset_at(nanos(datetime!(2026-01-01 12:00 UTC))),
            offset!(+01:00)
        );
    }

    #[test]
    fn naive_times_use_compatible_semantics() {
        let mut offsets = Zone::stockholm().offsets();
        // Ordinary.
        assert_eq!(
            offsets.resolve_local(local(datetime!(2026-03-02 07:00))),
            Ok(nanos(datetime!(2026-03-02 07:00 +01:00)))
        );
        // Spring gap: 02:00–03:00 does not exist; moved forward by the gap.
        assert_eq!(
            offsets.resolve_local(local(datetime!(2026-03-29 02:00))),
            Ok(nanos(datetime!(2026-03-29 03:00 +02:00)))
        );
        assert_eq!(
            offsets.resolve_local(local(datetime!(2026-03-29 02:59:59))),
            Ok(nanos(datetime!(2026-03-29 03:59:59 +02:00)))
        );
        // Autumn fold: 02:00–03:00 occurs twice; the earlier instant wins.
        assert_eq!(
            offsets.resolve_local(local(datetime!(2026-10-25 02:30))),
            Ok(nanos(datetime!(2026-10-25 02:30 +02:00)))
        );
        assert_eq!(
            offsets.resolve_local(local(datetime!(2026-10-25 03:00))),
            Ok(nanos(datetime!(2026-10-25 03:00 +01:00)))
        );
    }

    #[test]
    fn the_fast_path_agrees_with_the_database_near_transitions() {
        // Warm the cache in summer, then ask about every minute around the
        // autumn fold: the cached offset must never be trusted near it.
        let mut cached = Zone::stockholm().offsets();
        cached.offset_at(nanos(datetime!(2026-10-20 12:00 UTC)));
        let start = local(datetime!(2026-10-24 00:00));
        for minute in 0..(3 * 24 * 60) {
            let t = start + minute * 60 * NANOS_PER_SECOND;
            let fresh = Zone::stockholm().offsets().resolve_local(t);
            assert_eq!(cached.resolve_local(t), fresh, "minute {minute}");
        }
    }

    #[test]
    fn other_zones_and_unknown_names() {
        let mut helsinki = Zone::get("Europe/Helsinki").unwrap().offsets();
        assert_eq!(
            helsinki.offset_at(nanos(datetime!(2026-01-01 00:00 UTC))),
            offset!(+02:00)
        );
        assert_eq!(
            Zone::get("Mars/Olympus_Mons").unwrap_err(),
            Error::UnknownZone {
                name: "Mars/Olympus_Mons".into()
            }
        );
    }
}
