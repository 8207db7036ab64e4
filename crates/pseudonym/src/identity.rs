//! Swedish identity numbers: personnummer, samordningsnummer and
//! organisationsnummer — validation and one canonical spelling.

use time::{Date, Month};

/// Why an identity number is invalid. The messages never contain the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// Shaped like a Swedish number (see [`looks_swedish`]) but not 10 or 12
    /// digits with an optional `-` or `+` before the last four.
    #[error("wrong length or shape")]
    Shape,
    /// The Luhn check digit does not match.
    #[error("bad check digit")]
    CheckDigit,
    /// The birth date does not exist (day − 60 for a samordningsnummer).
    #[error("impossible date")]
    Date,
    /// The birth date lies after the reference date.
    #[error("birth date in the future")]
    Future,
    /// An organisationsnummer whose third digit is below 2 and which is not a
    /// valid personnummer either.
    #[error("not an organisationsnummer")]
    NotOrganisation,
    /// The birth number is `000`, which is never issued.
    #[error("birth number 000 is never issued")]
    Serial,
    /// A twelve-digit number written with `+` (100 years or older) whose
    /// birth year says the person is younger.
    #[error("separator contradicts the birth year")]
    Separator,
}

/// The Luhn sum check over ten digits (Skatteverket's check digit rule).
fn luhn_valid(ten: &[u8; 10]) -> bool {
    let sum: u32 = ten
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let p = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            p / 10 + p % 10
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Splits `text` into its digits and separator: 10 or 12 digits with an
/// optional `-` or `+` before the last four.
fn digits(text: &str) -> Result<(Vec<u8>, Option<char>), IdentityError> {
    let bytes = text.as_bytes();
    let (body, separator) = match bytes.len() {
        10 | 12 => (text.to_string(), None),
        11 | 13 => {
            let at = bytes.len() - 5;
            let sep = char::from(bytes[at]);
            if sep != '-' && sep != '+' {
                return Err(IdentityError::Shape);
            }
            (format!("{}{}", &text[..at], &text[at + 1..]), Some(sep))
        }
        _ => return Err(IdentityError::Shape),
    };
    if !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentityError::Shape);
    }
    Ok((body.bytes().map(|b| b - b'0').collect(), separator))
}

/// Whether `text` is to be read as a Swedish identity number — and so must
/// be a valid one — rather than as an opaque foreign id.
///
/// The rule (docs/privacy.md): after trimming, the text **starts with six
/// digits**, or it holds **no letter and at least six digits** (whatever its
/// separators: spaces, dashes of any kind, dots). Everything else is a
/// foreign id; foreign ids therefore carry a letter within their first six
/// characters, as passport numbers with a country prefix (`PL12345678901`) do.
///
/// ```
/// use loggningsindex_pseudonym::looks_swedish;
///
/// assert!(looks_swedish("19811218-9876"));
/// assert!(looks_swedish("811218 9876"));       // a space: Swedish, and invalid
/// assert!(looks_swedish("19811218\u{2013}9876")); // an en dash, likewise
/// assert!(looks_swedish("19811218-9877x"));    // six digits first
/// assert!(!looks_swedish("PL12345678901"));
/// assert!(!looks_swedish("p_00ff"));
/// ```
pub fn looks_swedish(text: &str) -> bool {
    let text = text.trim();
    let leading = text.bytes().take_while(u8::is_ascii_digit).count();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    leading >= 6 || (digits >= 6 && !text.chars().any(char::is_alphabetic))
}

/// A valid personnummer or samordningsnummer.
///
/// ```
/// use loggningsindex_pseudonym::Personnummer;
/// use time::macros::date;
///
/// let today = date!(2026-11-28);
/// let a = Personnummer::parse("19900101-0017", today)?;
/// let b = Personnummer::parse("199001010017", today)?;
/// let c = Personnummer::parse("900101-0017", today)?;
/// assert_eq!(a, b);
/// assert_eq!(a, c);
/// assert_eq!(a.canonical(), "199001010017");
///
/// // Someone born in 1912 writes `+` once they are 100.
/// let old = Personnummer::parse("121212+1212", today)?;
/// assert_eq!(old.canonical(), "191212121212");
///
/// assert!(Personnummer::parse("19900101-0018", today).is_err()); // check digit
/// # Ok::<(), loggningsindex_pseudonym::IdentityError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Personnummer {
    birth: Date,
    coordination: bool,
    /// Birth number (three digits) and check digit.
    tail: u16,
}

impl Personnummer {
    /// Parses and validates a personnummer or samordningsnummer. For the
    /// ten-digit forms the century is inferred against `reference` (a date
    /// the caller chooses, never the system clock): `-` means under 100 years
    /// old on that date, `+` means 100 or older.
    ///
    /// # Errors
    ///
    /// [`IdentityError`] saying what is wrong, never repeating the number.
    pub fn parse(text: &str, reference: Date) -> Result<Self, IdentityError> {
        let (d, separator) = digits(text.trim())?;
        let ten: [u8; 10] = d[d.len() - 10..]
            .try_into()
            .map_err(|_| IdentityError::Shape)?;
        if !luhn_valid(&ten) {
            return Err(IdentityError::CheckDigit);
        }
        let two = |i: usize| i32::from(ten[i]) * 10 + i32::from(ten[i + 1]);
        let (yy, month, mut day) = (two(0), two(2), two(4));
        let coordination = day > 60;
        if coordination {
            day -= 60;
        }
        let month = Month::try_from(month as u8).map_err(|_| IdentityError::Date)?;
        let date_in = |year: i32| Date::from_calendar_date(year, month, day as u8);
        let year = if d.len() == 12 {
            i32::from(d[0]) * 1000 + i32::from(d[1]) * 100 + yy
        } else {
            // The latest year ending in `yy` whose date is not after the
            // reference, then a century earlier for `+`.
            let mut year = reference.year() - reference.year().rem_euclid(100) + yy;
            if date_in(year).map_or(year > reference.year(), |b| b > reference) {
                year -= 100;
            }
            if separator == Some('+') {
                year -= 100;
            }
            year
        };
        let birth = date_in(year).map_err(|_| IdentityError::Date)?;
        if birth > reference {
            return Err(IdentityError::Future);
        }
        if ten[6..9] == [0, 0, 0] {
            return Err(IdentityError::Serial);
        }
        if d.len() == 12 && separator == Some('+') && !hundred_or_older(birth, reference) {
            return Err(IdentityError::Separator);
        }
        let tail = (u16::from(ten[6]) * 100 + u16::from(ten[7]) * 10 + u16::from(ten[8])) * 10
            + u16::from(ten[9]);
        Ok(Personnummer {
            birth,
            coordination,
            tail,
        })
    }

    /// The birth date.
    pub fn birth_date(&self) -> Date {
        self.birth
    }

    /// Whether it is a samordningsnummer (day plus 60).
    pub fn is_coordination_number(&self) -> bool {
        self.coordination
    }

    /// The one spelling of all equivalent ones: twelve digits, no separator.
    pub fn canonical(&self) -> String {
        let day = self.birth.day() + if self.coordination { 60 } else { 0 };
        format!(
            "{:04}{:02}{:02}{:04}",
            self.birth.year(),
            u8::from(self.birth.month()),
            day,
            self.tail
        )
    }
}

/// Whether someone born on `birth` is 100 or older on `reference`.
fn hundred_or_older(birth: Date, reference: Date) -> bool {
    let hundredth = Date::from_calendar_date(birth.year() + 100, birth.month(), birth.day())
        // Born on 29 February: the birthday falls on 1 March in common years.
        .or_else(|_| Date::from_calendar_date(birth.year() + 100, Month::March, 1));
    hundredth.is_ok_and(|day| day <= reference)
}

/// A valid organisationsnummer.
///
/// ```
/// use loggningsindex_pseudonym::Organisationsnummer;
///
/// let volvo = Organisationsnummer::parse("556012-5790")?;
/// assert_eq!(Organisationsnummer::parse("165560125790")?, volvo);
/// assert_eq!(volvo.canonical(), "5560125790");
/// assert!(Organisationsnummer::parse("556012-5791").is_err());
/// # Ok::<(), loggningsindex_pseudonym::IdentityError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Organisationsnummer {
    ten: [u8; 10],
}

impl Organisationsnummer {
    /// Parses and validates: ten digits (`NNNNNN-NNNC`) or twelve with the
    /// `16` prefix; the third digit at least 2; a correct check digit.
    ///
    /// # Errors
    ///
    /// [`IdentityError`] saying what is wrong, never repeating the number.
    pub fn parse(text: &str) -> Result<Self, IdentityError> {
        let (d, separator) = digits(text.trim())?;
        if separator == Some('+') {
            return Err(IdentityError::Shape);
        }
        let ten: [u8; 10] = match d.len() {
            12 if d[0] == 1 && d[1] == 6 => d[2..].try_into().map_err(|_| IdentityError::Shape)?,
            12 => return Err(IdentityError::NotOrganisation),
            _ => d[..].try_into().map_err(|_| IdentityError::Shape)?,
        };
        if !luhn_valid(&ten) {
            return Err(IdentityError::CheckDigit);
        }
        if ten[2] < 2 {
            return Err(IdentityError::NotOrganisation);
        }
        Ok(Organisationsnummer { ten })
    }

    /// Ten digits, no separator.
    pub fn canonical(&self) -> String {
        self.ten.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 28);

    #[test]
    fn valid_personnummer_table() {
        let cases = [
            // (input, canonical)
            ("811218-9876", "198112189876"),
            ("198112189876", "198112189876"),
            ("19811218-9876", "198112189876"),
            ("8112189876", "198112189876"),
            // Leap day.
            ("20000229-0013", "200002290013"),
            ("000229-0013", "200002290013"),
            // Samordningsnummer: day 12 + 60 = 72.
            ("701272-3388", "197012723388"),
            // Over 100: `+`.
            ("121212+1212", "191212121212"),
            // Born on the reference date's day, 26 years ago: under 100.
            ("001128-0013", "200011280013"),
        ];
        for (input, want) in cases {
            let p = Personnummer::parse(input, TODAY).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(p.canonical(), want, "{input}");
        }
    }

    #[test]
    fn century_inference_uses_the_reference_date() {
        // 261201: born 2026-12-01 is after the reference, so it is 1926.
        let p = Personnummer::parse("261201-0013", TODAY).unwrap();
        assert_eq!(p.birth_date(), date!(1926 - 12 - 01));
        // 261128 is today's date: born today, so 2026.
        let p = Personnummer::parse("261128-0013", TODAY).unwrap();
        assert_eq!(p.birth_date(), date!(2026 - 11 - 28));
    }

    #[test]
    fn invalid_personnummer_table() {
        let cases = [
            ("811218-9877", IdentityError::CheckDigit),
            ("811318-9875", IdentityError::Date),
            ("19010229-0000", IdentityError::CheckDigit),
            ("010229-0004", IdentityError::Date),
            ("811218 9876", IdentityError::Shape),
            ("81121-89876", IdentityError::Shape),
            ("811218-987", IdentityError::Shape),
            ("198112189876+", IdentityError::Shape),
            ("19811218+9876", IdentityError::Separator),
            ("20150916-0006", IdentityError::Serial),
            ("19811218\u{2013}9876", IdentityError::Shape),
            ("19811218-9877x", IdentityError::Shape),
            ("abcdef-ghij", IdentityError::Shape),
            ("20300101-0002", IdentityError::Future),
        ];
        for (input, want) in cases {
            assert_eq!(Personnummer::parse(input, TODAY), Err(want), "{input}");
        }
    }

    #[test]
    fn organisationsnummer_table() {
        for ok in [
            "556012-5790",
            "5560125790",
            "16556012-5790",
            "165560125790",
            "212000-0142",
        ] {
            assert!(Organisationsnummer::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            Organisationsnummer::parse("556012-5791"),
            Err(IdentityError::CheckDigit)
        );
        // Third digit below 2: a personnummer, not an organisation.
        assert_eq!(
            Organisationsnummer::parse("811218-9876"),
            Err(IdentityError::NotOrganisation)
        );
        assert_eq!(
            Organisationsnummer::parse("175560125790"),
            Err(IdentityError::NotOrganisation)
        );
        assert_eq!(
            Organisationsnummer::parse("556012+5790"),
            Err(IdentityError::Shape)
        );
    }
}
