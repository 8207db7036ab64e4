//! Fictitious identifiers: Swedish personnummer, samordningsnummer and
//! organisationsnummer with correct check digits, foreign ids, site ids, ID06
//! card numbers, and already-pseudonymised tokens.

use std::collections::HashSet;

use fastrand::Rng;

/// The Luhn check digit of the ten-digit form's first nine digits (YYMMDDNNN or
/// the organisationsnummer's first nine), as Skatteverket computes it.
pub(crate) fn luhn_check_digit(nine: &[u8; 9]) -> u8 {
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let p = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            p / 10 + p % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A birth date and birth number, from which both forms of a personnummer follow.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Birth {
    year: i32,
    month: u8,
    /// Day of month, plus 60 for a samordningsnummer.
    day: u8,
    number: u16,
    check: u8,
}

impl Birth {
    pub(crate) fn random(rng: &mut Rng, coordination: bool) -> Birth {
        let year = rng.i32(1960..=2004);
        let month = rng.u8(1..=12);
        let day = rng.u8(1..=days_in_month(year, month)) + if coordination { 60 } else { 0 };
        let number = rng.u16(1..=999);
        let yy = (year % 100) as u8;
        let nine = [
            yy / 10,
            yy % 10,
            month / 10,
            month % 10,
            day / 10,
            day % 10,
            (number / 100) as u8,
            (number / 10 % 10) as u8,
            (number % 10) as u8,
        ];
        Birth {
            year,
            month,
            day,
            number,
            check: luhn_check_digit(&nine),
        }
    }

    /// `YYYYMMDD-NNNC`.
    pub(crate) fn twelve_digits(&self) -> String {
        format!(
            "{:04}{:02}{:02}-{:03}{}",
            self.year, self.month, self.day, self.number, self.check
        )
    }

    /// `YYMMDD-NNNC` (everyone generated is under 100, so the separator is `-`).
    pub(crate) fn ten_digits(&self) -> String {
        format!(
            "{:02}{:02}{:02}-{:03}{}",
            self.year % 100,
            self.month,
            self.day,
            self.number,
            self.check
        )
    }
}

/// An organisationsnummer `NNNNNN-NNNC`: group digit first (mostly 5,
/// aktiebolag), third digit at least 2, Luhn check digit last.
pub(crate) fn organisationsnummer(rng: &mut Rng) -> String {
    const GROUPS: [u8; 8] = [5, 5, 5, 5, 5, 9, 8, 7];
    let mut nine = [0u8; 9];
    nine[0] = GROUPS[rng.usize(..GROUPS.len())];
    nine[1] = rng.u8(0..=9);
    nine[2] = rng.u8(2..=9);
    for d in &mut nine[3..] {
        *d = rng.u8(0..=9);
    }
    let check = luhn_check_digit(&nine);
    let digits: String = nine.iter().map(|d| char::from(b'0' + d)).collect();
    format!("{}-{}{}", &digits[..6], &digits[6..], check)
}

/// A foreign personal id that is not shaped like a Swedish number (an
/// 11-digit Polish PESEL-like code with a country prefix).
pub(crate) fn foreign_id(rng: &mut Rng) -> String {
    format!("PL{:011}", rng.u64(10_000_000_000..100_000_000_000))
}

/// An ID06 card number: two letters and ten digits, `AB-1234567890`.
pub(crate) fn card_number(rng: &mut Rng) -> String {
    let letter = |rng: &mut Rng| char::from(rng.u8(b'A'..=b'Z'));
    let (a, b) = (letter(rng), letter(rng));
    format!("{a}{b}-{:010}", rng.u64(0..10_000_000_000))
}

/// A pseudonym-shaped token: a kind prefix and 128 random bits in hex.
pub(crate) fn token(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}_{:032x}", rng.u128(..))
}

/// Draws ids until one is new, so that every generated id is unique.
pub(crate) fn unique(
    seen: &mut HashSet<String>,
    rng: &mut Rng,
    mut draw: impl FnMut(&mut Rng) -> String,
) -> String {
    loop {
        let id = draw(rng);
        if seen.insert(id.clone()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_matches_skatteverkets_example() {
        // Skatteverket's published example: 811218-9876.
        assert_eq!(luhn_check_digit(&[8, 1, 1, 2, 1, 8, 9, 8, 7]), 6);
        // Volvo AB, 556012-5790.
        assert_eq!(luhn_check_digit(&[5, 5, 6, 0, 1, 2, 5, 7, 9]), 0);
    }

    #[test]
    fn shapes() {
        let mut rng = Rng::with_seed(7);
        let b = Birth::random(&mut rng, false);
        assert_eq!(b.twelve_digits().len(), 13);
        assert_eq!(b.ten_digits().len(), 11);
        assert!(b.twelve_digits().ends_with(&b.ten_digits()[7..]));
        let org = organisationsnummer(&mut rng);
        assert_eq!(org.len(), 11);
        assert!(org.as_bytes()[2] >= b'2');
        let card = card_number(&mut rng);
        assert_eq!(card.len(), 13);
        assert!(card.as_bytes()[..2].iter().all(u8::is_ascii_uppercase));
        assert_eq!(token(&mut rng, "p").len(), 34);
    }

    #[test]
    fn coordination_numbers_add_60_to_the_day() {
        let mut rng = Rng::with_seed(3);
        for _ in 0..100 {
            let b = Birth::random(&mut rng, true);
            let day: u8 = b.twelve_digits()[6..8].parse().unwrap();
            assert!((61..=91).contains(&day));
        }
    }
}
