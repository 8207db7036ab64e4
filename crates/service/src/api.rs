//! The API's request bodies and their checks, apart from any I/O: what a
//! terminal may send, and why a request is refused.

use loggningsindex_cards::{BlockReason, CardNumber};
use loggningsindex_core::{Direction, Origin, Timestamp};
use loggningsindex_zone::Zone;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// How far a registration's time may be from the server's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tolerance {
    /// How long after the fact a registration is still taken (terminals
    /// that were offline send what they kept). Default: 24 hours.
    pub late_seconds: i64,
    /// How far ahead of the server's clock (a terminal's clock runs fast).
    /// Default: 5 minutes.
    pub early_seconds: i64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            late_seconds: 24 * 3600,
            early_seconds: 5 * 60,
        }
    }
}

/// `POST /v1/registrations`, as sent. Unknown fields are refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistrationBody {
    card: String,
    site: String,
    direction: String,
    at: String,
    #[serde(default)]
    origin: Option<String>,
}

/// A registration request that passed every check but the card's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRegistration {
    /// The card used.
    pub card: CardNumber,
    /// The site.
    pub site: String,
    /// `IN` or `OUT`.
    pub direction: Direction,
    /// When, with the site zone's offset at that instant (Europe/Stockholm).
    pub at: Timestamp,
    /// How it was made.
    pub origin: Origin,
}

/// The longest site id taken.
const MAX_SITE_BYTES: usize = 64;

/// Parses and checks a registration body against the server's clock `now`.
///
/// # Errors
///
/// The reason, for a `422` answer.
pub fn parse_registration(
    body: &[u8],
    now: OffsetDateTime,
    tolerance: Tolerance,
) -> Result<NewRegistration, String> {
    let body: RegistrationBody =
        serde_json::from_slice(body).map_err(|e| format!("malformed body: {e}"))?;
    let card: CardNumber = body
        .card
        .parse()
        .map_err(|_| "card: expected two letters and ten digits, as AB-1234567890".to_string())?;
    let site = body.site;
    if site.is_empty() || site.len() > MAX_SITE_BYTES || site.chars().any(char::is_control) {
        return Err(format!(
            "site: expected 1 to {MAX_SITE_BYTES} bytes without control characters"
        ));
    }
    let direction = match body.direction.as_str() {
        "IN" => Direction::In,
        "OUT" => Direction::Out,
        _ => return Err("direction: expected \"IN\" or \"OUT\"".into()),
    };
    let parsed = OffsetDateTime::parse(&body.at, &Rfc3339).map_err(
        |_| "at: expected an RFC 3339 time with an offset, as 2026-03-02T07:00:00+01:00",
    )?;
    let age = (now - parsed).whole_seconds();
    if age > tolerance.late_seconds {
        return Err(format!(
            "at: more than {} seconds in the past; register it by hand (ledger correct)",
            tolerance.late_seconds
        ));
    }
    if -age > tolerance.early_seconds {
        return Err(format!(
            "at: more than {} seconds ahead of the server's clock",
            tolerance.early_seconds
        ));
    }
    // The site's offset at the instant, not the one written, as for event
    // files (docs/rules.md §1): local dates are Swedish dates.
    let instant = Timestamp::from_offset_datetime(parsed).map_err(|e| format!("at: {e}"))?;
    let offset = Zone::stockholm().offsets().offset_at(instant.unix_nanos());
    let at = Timestamp::new(instant.unix_nanos(), offset);
    let origin = match body.origin.as_deref() {
        None => Origin::Unknown,
        Some(text) => Origin::from_bytes(text.as_bytes())
            .ok_or("origin: expected card, app, manual or auto")?,
    };
    Ok(NewRegistration {
        card,
        site,
        direction,
        at,
        origin,
    })
}

/// `POST /v1/cards/{card}/block`, as sent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockBody {
    reason: String,
}

/// Parses a block body.
///
/// # Errors
///
/// The reason, for a `422` answer.
pub fn parse_block(body: &[u8]) -> Result<BlockReason, String> {
    let body: BlockBody =
        serde_json::from_slice(body).map_err(|e| format!("malformed body: {e}"))?;
    match body.reason.as_str() {
        "lost" => Ok(BlockReason::Lost),
        "stolen" => Ok(BlockReason::Stolen),
        "employment_ended" => Ok(BlockReason::EmploymentEnded),
        _ => Err("reason: expected lost, stolen or employment_ended".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-02 07:00 +01:00);

    fn parse(body: &str) -> Result<NewRegistration, String> {
        parse_registration(body.as_bytes(), NOW, Tolerance::default())
    }

    #[test]
    fn a_good_registration_parses() {
        let r = parse(r#"{"card":"AB-1234567890","site":"BPL-1","direction":"IN","at":"2026-03-02T06:59:00+01:00","origin":"card"}"#).unwrap();
        assert_eq!(r.direction, Direction::In);
        assert_eq!(r.origin, Origin::Card);
        assert_eq!(r.at.offset().whole_hours(), 1);
        let utc = parse(r#"{"card":"AB-1234567890","site":"BPL-1","direction":"IN","at":"2026-03-02T05:59:00Z"}"#).unwrap();
        assert_eq!(
            (utc.at.unix_nanos(), utc.at.offset().whole_hours()),
            (r.at.unix_nanos(), 1)
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (
                r#"{"card":"AB-1","site":"S","direction":"IN","at":"2026-03-02T07:00:00+01:00"}"#,
                "card:",
            ),
            (
                r#"{"card":"AB-1234567890","site":"","direction":"IN","at":"2026-03-02T07:00:00+01:00"}"#,
                "site:",
            ),
            (
                r#"{"card":"AB-1234567890","site":"S","direction":"in","at":"2026-03-02T07:00:00+01:00"}"#,
                "direction:",
            ),
            (
                r#"{"card":"AB-1234567890","site":"S","direction":"IN","at":"2026-03-02 07:00"}"#,
                "at: expected",
            ),
            (
                r#"{"card":"AB-1234567890","site":"S","direction":"IN","at":"2026-02-28T07:00:00+01:00"}"#,
                "in the past",
            ),
            (
                r#"{"card":"AB-1234567890","site":"S","direction":"IN","at":"2026-03-02T07:06:00+01:00"}"#,
                "ahead",
            ),
            (
                r#"{"card":"AB-1234567890","site":"S","direction":"IN","at":"2026-03-02T07:00:00+01:00","origin":"robot"}"#,
                "origin:",
            ),
            (
                r#"{"card":"AB-1234567890","site":"S","direction":"IN","at":"2026-03-02T07:00:00+01:00","person":"x"}"#,
                "unknown field",
            ),
            (r#"{"card":"AB-1234567890""#, "malformed"),
        ];
        for (body, expected) in cases {
            let error = parse(body).unwrap_err();
            assert!(error.contains(expected), "{body}: {error}");
        }
    }

    #[test]
    fn block_reasons_are_the_contract_spellings() {
        assert_eq!(
            parse_block(br#"{"reason":"stolen"}"#),
            Ok(BlockReason::Stolen)
        );
        assert!(parse_block(br#"{"reason":"Stolen"}"#).is_err());
        assert!(parse_block(br#"{"reason":"lost","x":1}"#).is_err());
    }
}
