//! Reading the `timestamp` column (docs/formats.md): RFC 3339 with an offset, or a
//! naive local time.

use time::{Date, Month};

use loggningsindex_core::{NANOS_PER_DAY, NANOS_PER_SECOND, epoch_days};

/// A timestamp as written: local wall-clock time, and the offset if one was
/// written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Written {
    /// Nanoseconds since 1970-01-01T00:00 in the written (or naive) local time.
    pub(crate) local_nanos: i64,
    /// The written offset in seconds (`Z` is 0); `None` for a naive time.
    pub(crate) offset_seconds: Option<i32>,
}

impl Written {
    /// The instant, if an offset was written.
    pub(crate) fn instant(self) -> Option<i64> {
        self.offset_seconds
            .map(|o| self.local_nanos - i64::from(o) * NANOS_PER_SECOND)
    }
}

/// Why a timestamp could not be read. The messages name the rule, never the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimestampError {
    /// Not `YYYY-MM-DD`, a separator, `HH:MM:SS`: a wrong shape or length.
    Shape,
    /// Hours, minutes or seconds are missing.
    MissingSeconds,
    /// A fraction without digits, or with more than nine.
    Fraction,
    /// An offset that is not `Z` or `±HH:MM`.
    Offset,
    /// Hour above 23, minute or second above 59.
    TimeOfDay,
    /// A date that does not exist, such as 30 February.
    Date,
    /// A year outside 1678–2261, which 64-bit nanoseconds cover.
    Range,
}

impl TimestampError {
    /// A short description, for reject reasons.
    pub fn as_str(self) -> &'static str {
        match self {
            TimestampError::Shape => "not YYYY-MM-DDTHH:MM:SS",
            TimestampError::MissingSeconds => "seconds missing",
            TimestampError::Fraction => "fraction needs 1 to 9 digits",
            TimestampError::Offset => "offset must be Z or ±HH:MM",
            TimestampError::TimeOfDay => "time of day out of range",
            TimestampError::Date => "no such date",
            TimestampError::Range => "outside the years 1678 to 2261",
        }
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// Reads one timestamp as the event format does: RFC 3339 with an offset, or
/// a naive local time in `offsets`' zone (a time that occurs twice means the
/// earlier instant, one that does not exist moves forward by the gap);
/// surrounding spaces and tabs are ignored. The result carries the zone's
/// offset at the instant, not the written one.
///
/// ```
/// use loggningsindex_format::parse_timestamp;
/// use loggningsindex_zone::Zone;
///
/// let mut offsets = Zone::stockholm().offsets();
/// let at = parse_timestamp("2026-03-02T06:00:00Z", &mut offsets).unwrap();
/// assert_eq!(at.offset().whole_hours(), 1);
/// assert!(parse_timestamp("2026-03-02T06:00Z", &mut offsets).is_err());
/// ```
///
/// # Errors
///
/// [`TimestampError`] naming the rule the text breaks.
pub fn parse_timestamp<T: AsRef<[u8]> + ?Sized>(
    text: &T,
    offsets: &mut loggningsindex_zone::Offsets,
) -> Result<loggningsindex_core::Timestamp, TimestampError> {
    let written = parse(crate::header::trim(text.as_ref()))?;
    let instant = match written.instant() {
        Some(instant) => instant,
        None => offsets
            .resolve_local(written.local_nanos)
            .map_err(|_| TimestampError::Range)?,
    };
    // The site's offset at the instant, not the one written (docs/rules.md §1).
    Ok(loggningsindex_core::Timestamp::new(
        instant,
        offsets.offset_at(instant),
    ))
}

/// Parses `YYYY-MM-DD`, `T`/`t`/space, `HH:MM:SS`, an optional `.` and 1–9
/// digits, then `Z`/`z`, `±HH:MM`, or nothing.
pub(crate) fn parse(text: &[u8]) -> Result<Written, TimestampError> {
    if text.len() < 19 {
        // Distinguish the common "no seconds" mistake from other garbage.
        return Err(if text.len() >= 16 && text[13] == b':' {
            TimestampError::MissingSeconds
        } else {
            TimestampError::Shape
        });
    }
    if text[4] != b'-' || text[7] != b'-' || !matches!(text[10], b'T' | b't' | b' ') {
        return Err(TimestampError::Shape);
    }
    if text[13] != b':' {
        return Err(TimestampError::Shape);
    }
    if text[16] != b':' {
        return Err(TimestampError::MissingSeconds);
    }
    let field = |range: core::ops::Range<usize>| digits(&text[range]).ok_or(TimestampError::Shape);
    let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
    let (hour, minute, second) = (field(11..13)?, field(14..16)?, field(17..19)?);
    // 64-bit nanoseconds reach from 1677-09-21 to 2262-04-11.
    if !(1678..=2261).contains(&year) {
        return Err(TimestampError::Range);
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(TimestampError::TimeOfDay);
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(TimestampError::Date)?;
    let date = Date::from_calendar_date(year as i32, month, day as u8)
        .map_err(|_| TimestampError::Date)?;

    let mut rest = &text[19..];
    let mut nanos = 0i64;
    if let Some((b'.', tail)) = rest.split_first() {
        let n = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return Err(TimestampError::Fraction);
        }
        let value = i64::from(digits(&tail[..n]).ok_or(TimestampError::Fraction)?);
        nanos = value * 10i64.pow(9 - n as u32);
        rest = &tail[n..];
    }
    let offset_seconds = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = digits(&[*h1, *h2]).ok_or(TimestampError::Offset)?;
            let m = digits(&[*m1, *m2]).ok_or(TimestampError::Offset)?;
            if h > 23 || m > 59 {
                return Err(TimestampError::Offset);
            }
            let seconds = (h * 3_600 + m * 60) as i32;
            Some(if *sign == b'-' { -seconds } else { seconds })
        }
        _ => return Err(TimestampError::Offset),
    };
    let days = epoch_days(date);
    let local_nanos = days * NANOS_PER_DAY
        + i64::from(hour * 3_600 + minute * 60 + second) * NANOS_PER_SECOND
        + nanos;
    Ok(Written {
        local_nanos,
        offset_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn instant(text: &str) -> Option<i64> {
        parse(text.as_bytes()).ok().and_then(Written::instant)
    }

    fn nanos(t: time::OffsetDateTime) -> i64 {
        t.unix_timestamp_nanos() as i64
    }

    #[test]
    fn accepted_shapes() {
        let want = nanos(datetime!(2026-03-02 07:01:12 +01:00));
        assert_eq!(instant("2026-03-02T07:01:12+01:00"), Some(want));
        assert_eq!(instant("2026-03-02t07:01:12+01:00"), Some(want));
        assert_eq!(instant("2026-03-02 07:01:12+01:00"), Some(want));
        assert_eq!(instant("2026-03-02T06:01:12Z"), Some(want));
        assert_eq!(instant("2026-03-02T06:01:12z"), Some(want));
        assert_eq!(instant("2026-03-02T01:31:12-04:30"), Some(want));
        assert_eq!(
            instant("2026-03-02T07:01:12.5+01:00"),
            Some(want + 500_000_000)
        );
        assert_eq!(
            instant("2026-03-02T07:01:12.000000001+01:00"),
            Some(want + 1)
        );
        let naive = parse(b"2026-03-02 07:01:12").unwrap();
        assert_eq!(naive.offset_seconds, None);
        assert_eq!(naive.local_nanos, nanos(datetime!(2026-03-02 07:01:12 UTC)));
        assert_eq!(parse(b"2026-03-02T07:01:12").unwrap(), naive);
        assert_eq!(
            instant("2024-02-29T12:00:00Z"),
            Some(nanos(datetime!(2024-02-29 12:00 UTC)))
        );
    }

    #[test]
    fn every_bad_shape_of_formats_md() {
        use TimestampError::*;
        let cases: &[(&str, TimestampError)] = &[
            ("2026-03-02T07:01+01:00", MissingSeconds),
            ("2026-03-02T07:01", MissingSeconds),
            ("2026-03-02T07:01:12+0100", Offset),
            ("2026-03-02T07:01:12+01", Offset),
            ("2026-03-02T07:01:12 +01:00", Offset),
            ("2026-03-02T24:00:00+01:00", TimeOfDay),
            ("2026-03-02T07:60:00+01:00", TimeOfDay),
            ("2026-03-02T07:01:60+01:00", TimeOfDay),
            ("2026-02-30T07:01:12+01:00", Date),
            ("2026-13-01T07:01:12+01:00", Date),
            ("2026-00-10T07:01:12+01:00", Date),
            ("2025-02-29T07:01:12+01:00", Date),
            ("2026-03-02T07:01:12.+01:00", Fraction),
            ("2026-03-02T07:01:12.1234567891+01:00", Fraction),
            ("2026-03-02X07:01:12+01:00", Shape),
            ("2026/03/02T07:01:12+01:00", Shape),
            ("26-03-02T07:01:12+01:00", Shape),
            ("", Shape),
            ("yesterday", Shape),
            ("2026-03-02T07:01:12+25:00", Offset),
            ("2026-03-02T07:01:12+01:00Z", Offset),
            ("2026-03-0aT07:01:12+01:00", Shape),
            ("9999-12-31T23:59:59Z", Range),
            ("0001-01-01T00:00:00Z", Range),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text.as_bytes()), Err(*want), "{text}");
        }
    }
}
