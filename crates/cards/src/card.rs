//! ID06 cards: numbers, validity, blocking.

use core::fmt;
use core::str::FromStr;

use loggningsindex_core::Timestamp;
use time::Date;

/// An ID06 card number: two capital letters and ten digits, written
/// `AB-1234567890`.
///
/// ```
/// use loggningsindex_cards::CardNumber;
///
/// let card: CardNumber = "ab-1234567890".parse()?;
/// assert_eq!(card.to_string(), "AB-1234567890");
/// assert!("AB1234567890".parse::<CardNumber>().is_ok());
/// assert!("A-1234567890".parse::<CardNumber>().is_err());
/// # Ok::<(), loggningsindex_cards::CardNumberError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardNumber([u8; 12]);

/// The text is not a card number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a card number: expected two letters and ten digits, as AB-1234567890")]
pub struct CardNumberError;

impl FromStr for CardNumber {
    type Err = CardNumberError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let bytes = text.as_bytes();
        let digits = match bytes.len() {
            13 if bytes[2] == b'-' => &bytes[3..],
            12 => &bytes[2..],
            _ => return Err(CardNumberError),
        };
        let letters = &bytes[..2];
        if !letters.iter().all(u8::is_ascii_alphabetic) || !digits.iter().all(u8::is_ascii_digit) {
            return Err(CardNumberError);
        }
        let mut number = [0u8; 12];
        number[0] = letters[0].to_ascii_uppercase();
        number[1] = letters[1].to_ascii_uppercase();
        number[2..].copy_from_slice(digits);
        Ok(CardNumber(number))
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        write!(f, "{}-{}", text(&self.0[..2]), text(&self.0[2..]))
    }
}

/// Why a card was blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockReason {
    /// Reported lost.
    Lost,
    /// Reported stolen.
    Stolen,
    /// The holder's employment with the issuing company ended.
    EmploymentEnded,
}

impl BlockReason {
    /// The name used in files: `lost`, `stolen`, `employment_ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockReason::Lost => "lost",
            BlockReason::Stolen => "stolen",
            BlockReason::EmploymentEnded => "employment_ended",
        }
    }
}

impl FromStr for BlockReason {
    type Err = ();
    fn from_str(text: &str) -> Result<Self, ()> {
        match text.trim().to_ascii_lowercase().as_str() {
            "lost" => Ok(BlockReason::Lost),
            "stolen" => Ok(BlockReason::Stolen),
            "employment_ended" | "employment ended" => Ok(BlockReason::EmploymentEnded),
            _ => Err(()),
        }
    }
}

/// A change of a card's status, effective from an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusChange {
    /// Blocked from `at` on.
    Blocked {
        /// Effective from this instant (inclusive).
        at: Timestamp,
        /// Why.
        reason: BlockReason,
    },
    /// Active again from `at` on (a found card, say).
    Unblocked {
        /// Effective from this instant (inclusive).
        at: Timestamp,
    },
}

impl StatusChange {
    /// When the change takes effect.
    pub fn at(&self) -> Timestamp {
        match self {
            StatusChange::Blocked { at, .. } | StatusChange::Unblocked { at } => *at,
        }
    }
}

/// An ID06 card, issued by a company to an individual.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    /// The card number.
    pub number: CardNumber,
    /// The holder's person id (as in the event files).
    pub holder: String,
    /// The holder's name, as printed on the card (empty if the register does
    /// not give it).
    pub name: String,
    /// The issuing company's organisationsnummer.
    pub company: String,
    /// First valid day (inclusive).
    pub valid_from: Date,
    /// Last valid day (inclusive).
    pub valid_to: Date,
    /// Status changes, in time order.
    pub history: Vec<StatusChange>,
}

/// Whether a card may be used at an instant, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validity {
    /// The card is valid.
    Valid,
    /// No card with that number is registered.
    Unknown,
    /// Its first valid day is later.
    NotYetValid {
        /// The first valid day.
        from: Date,
    },
    /// Its last valid day has passed.
    Expired {
        /// The last valid day.
        to: Date,
    },
    /// It is blocked.
    Blocked {
        /// Why.
        reason: BlockReason,
        /// Since when.
        since: Timestamp,
    },
}

impl Validity {
    /// A short reason, for lists; `None` when valid.
    pub fn reason(&self) -> Option<String> {
        match self {
            Validity::Valid => None,
            Validity::Unknown => Some("unknown card".into()),
            Validity::NotYetValid { from } => Some(format!("not valid until {from}")),
            Validity::Expired { to } => Some(format!("expired after {to}")),
            Validity::Blocked { reason, since } => {
                Some(format!("blocked ({}) since {since}", reason.as_str()))
            }
        }
    }
}

impl Card {
    /// The card's status at the instant `at`. Validity days are read in the
    /// local date of `at` (its offset: the site's), both ends inclusive; a
    /// block takes effect at its instant exactly.
    pub fn validity(&self, at: Timestamp) -> Validity {
        let day = at.local_date();
        if day < self.valid_from {
            return Validity::NotYetValid {
                from: self.valid_from,
            };
        }
        if day > self.valid_to {
            return Validity::Expired { to: self.valid_to };
        }
        match self.status_at(at) {
            Some(StatusChange::Blocked { at, reason }) => Validity::Blocked { reason, since: at },
            _ => Validity::Valid,
        }
    }

    /// The latest status change at or before `at`.
    fn status_at(&self, at: Timestamp) -> Option<StatusChange> {
        self.history
            .iter()
            .rev()
            .find(|c| c.at().unix_nanos() <= at.unix_nanos())
            .copied()
    }

    /// Whether the card was usable on at least one day of `from..=to`: within
    /// its validity and not blocked for the whole of that day.
    pub fn active_on_some_day(&self, from: Date, to: Date) -> bool {
        let first = from.max(self.valid_from);
        let last = to.min(self.valid_to);
        if first > last {
            return false;
        }
        // Unblocked on the first day, or any change inside the span makes it
        // usable for part of a day: a card is active from its first day until
        // a block's date; a block on day D leaves D itself partly usable.
        let before_first = |c: &&StatusChange| {
            let at = c.at().to_offset_datetime();
            at.date() < first || (at.date() == first && at.time() == time::Time::MIDNIGHT)
        };
        let blocked_at_start = self
            .history
            .iter()
            .rev()
            .find(before_first)
            .is_some_and(|c| matches!(c, StatusChange::Blocked { .. }));
        if !blocked_at_start {
            return true;
        }
        self.history.iter().any(|c| {
            matches!(c, StatusChange::Unblocked { .. })
                && (first..=last).contains(&c.at().local_date())
        })
    }
}
