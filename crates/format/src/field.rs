//! Reading single fields of an event row: identifiers and directions. Every
//! reader of the event format (the engines, pseudonymisation, the register)
//! uses these, so a field is judged the same way everywhere.

use loggningsindex_core::Direction;

use crate::header::trim;
use crate::reject::RejectReason;

/// Reads an identifier field (`person`, `company`, `site`, `card`): trimmed,
/// not empty, valid UTF-8 and free of control characters (C0 and DEL), so an
/// identifier can never break a line or a table in an output.
///
/// ```
/// use loggningsindex_format::{RejectReason, parse_id};
///
/// assert_eq!(parse_id(b"  BPL-1\t", "site"), Ok("BPL-1"));
/// assert_eq!(parse_id(b" ", "site"), Err(RejectReason::Empty("site")));
/// assert_eq!(parse_id(b"a\nb", "site"), Err(RejectReason::ControlCharacter("site")));
/// ```
///
/// # Errors
///
/// [`RejectReason::Empty`], [`RejectReason::InvalidUtf8`] or
/// [`RejectReason::ControlCharacter`]; never the field's content.
pub fn parse_id<'a>(field: &'a [u8], column: &'static str) -> Result<&'a str, RejectReason> {
    let text = trim(field);
    if text.is_empty() {
        return Err(RejectReason::Empty(column));
    }
    if text.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Err(RejectReason::ControlCharacter(column));
    }
    core::str::from_utf8(text).map_err(|_| RejectReason::InvalidUtf8)
}

/// Reads a `direction` field: `IN`, `OUT` or `UT`, case-insensitive,
/// surrounding spaces and tabs ignored.
///
/// ```
/// use loggningsindex_format::{RejectReason, parse_direction};
/// use loggningsindex_core::Direction;
///
/// assert_eq!(parse_direction(b" ut "), Ok(Direction::Out));
/// assert_eq!(parse_direction(b"SIDEWAYS"), Err(RejectReason::Direction));
/// ```
///
/// # Errors
///
/// [`RejectReason::Empty`] for an empty field, [`RejectReason::Direction`] for
/// anything else.
pub fn parse_direction(field: &[u8]) -> Result<Direction, RejectReason> {
    let way = trim(field);
    if way.eq_ignore_ascii_case(b"IN") {
        Ok(Direction::In)
    } else if way.eq_ignore_ascii_case(b"OUT") || way.eq_ignore_ascii_case(b"UT") {
        Ok(Direction::Out)
    } else if way.is_empty() {
        Err(RejectReason::Empty("direction"))
    } else {
        Err(RejectReason::Direction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_c0_control_and_del_is_refused_in_an_id() {
        for b in (0u8..0x20).chain([0x7f]) {
            if b == b'\t' {
                // Surrounding tabs are trimmed; an inner one is a control.
                assert_eq!(
                    parse_id(b"a\tb", "person"),
                    Err(RejectReason::ControlCharacter("person"))
                );
                continue;
            }
            let field = [b'a', b, b'b'];
            assert_eq!(
                parse_id(&field, "person"),
                Err(RejectReason::ControlCharacter("person")),
                "byte {b:#04x}"
            );
        }
        assert_eq!(parse_id("Åsa Ö".as_bytes(), "person"), Ok("Åsa Ö"));
    }
}
