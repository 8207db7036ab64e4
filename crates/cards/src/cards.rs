//! The card register: loading it from CSV, and the questions asked of it —
//! validity, expiry, the yearly fee basis.

use std::collections::BTreeMap;
use std::io::Read;

use loggningsindex_core::Timestamp;
use loggningsindex_format::{Reject, RejectReason, Table, parse_timestamp};
use loggningsindex_zone::Zone;
use time::macros::format_description;
use time::{Date, Duration, Month};

use crate::card::{BlockReason, Card, CardNumber, StatusChange, Validity};
use crate::error::{Error, Result};

/// Every registered card, by number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardRegister {
    cards: BTreeMap<CardNumber, Card>,
}

/// The columns of a card file. `blocked_at`, `block_reason`,
/// `unblocked_at` and `name` (the holder's name) are optional; a card may appear on several rows, each
/// adding a status change.
pub const CARD_COLUMNS: [&str; 9] = [
    "card",
    "holder",
    "company",
    "valid_from",
    "valid_to",
    "blocked_at",
    "block_reason",
    "unblocked_at",
    "name",
];

fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// One row of a card file, checked.
struct CardRow {
    card: Card,
    changes: Vec<StatusChange>,
}

fn invalid(column: &'static str, detail: &'static str) -> RejectReason {
    RejectReason::Invalid { column, detail }
}

/// Reads one row of a card file; everything is checked before anything is
/// stored, so a rejected row leaves the register as it was.
fn read_row(
    fields: &[String],
    offsets: &mut loggningsindex_zone::Offsets,
) -> std::result::Result<CardRow, RejectReason> {
    let field = |i: usize| -> String { fields[i].clone() };
    let number: CardNumber = field(0).parse().map_err(|_| {
        invalid(
            "card",
            "expected two letters and ten digits, as AB-1234567890",
        )
    })?;
    let (holder, company) = (field(1), field(2));
    if holder.is_empty() {
        return Err(RejectReason::Empty("holder"));
    }
    if company.is_empty() {
        return Err(RejectReason::Empty("company"));
    }
    let date =
        |i: usize, column| parse_date(&field(i)).ok_or(invalid(column, "expected YYYY-MM-DD"));
    let (valid_from, valid_to) = (date(3, "valid_from")?, date(4, "valid_to")?);
    if valid_to < valid_from {
        return Err(invalid("valid_to", "before valid_from"));
    }
    let mut instant = |i: usize, column| -> std::result::Result<Option<Timestamp>, RejectReason> {
        let text = field(i);
        if text.is_empty() {
            return Ok(None);
        }
        parse_timestamp(&text, offsets)
            .map(Some)
            .map_err(|e| invalid(column, e.as_str()))
    };
    let blocked_at = instant(5, "blocked_at")?;
    let unblocked_at = instant(7, "unblocked_at")?;
    let reason = field(6);
    let mut changes = Vec::new();
    match (blocked_at, reason.is_empty()) {
        (Some(at), _) => {
            let reason: BlockReason = reason.parse().map_err(|()| {
                invalid("block_reason", "expected lost, stolen or employment_ended")
            })?;
            changes.push(StatusChange::Blocked { at, reason });
        }
        (None, true) => {}
        (None, false) => return Err(invalid("block_reason", "given without blocked_at")),
    }
    changes.extend(unblocked_at.map(|at| StatusChange::Unblocked { at }));
    Ok(CardRow {
        card: Card {
            number,
            holder,
            name: field(8),
            company,
            valid_from,
            valid_to,
            history: Vec::new(),
        },
        changes,
    })
}

impl CardRegister {
    /// Loads a card file (columns [`CARD_COLUMNS`], any order, case-insensitive;
    /// dates `YYYY-MM-DD`, instants as in event files, read in `zone`). Bad rows
    /// are rejected with line and reason; the rest is loaded.
    ///
    /// # Errors
    ///
    /// A file without a header or without a required column.
    pub fn load<R: Read>(input: R, zone: &Zone) -> Result<(CardRegister, Vec<Reject>)> {
        let mut table =
            Table::open(input, &CARD_COLUMNS[..5], &CARD_COLUMNS[5..]).map_err(|e| match e {
                loggningsindex_format::Error::MissingColumns { missing } => Error::MissingColumns {
                    missing: missing.join(", "),
                },
                loggningsindex_format::Error::NoHeader => Error::MissingColumns {
                    missing: CARD_COLUMNS[..5].join(", "),
                },
                other => Error::Io {
                    message: other.to_string(),
                },
            })?;
        let mut offsets = zone.offsets();
        let mut register = CardRegister::default();
        let rejects = table
            .for_each(|fields| read_row(fields, &mut offsets).and_then(|row| register.add(row)))
            .map_err(|e| Error::Io {
                message: e.to_string(),
            })?;
        Ok((register, rejects))
    }

    /// Adds a row: a new card, or status changes of one already read.
    fn add(&mut self, row: CardRow) -> std::result::Result<(), RejectReason> {
        let new = &row.card;
        let card = self.cards.entry(new.number).or_insert_with(|| new.clone());
        if (&card.holder, &card.company, card.valid_from, card.valid_to)
            != (&new.holder, &new.company, new.valid_from, new.valid_to)
        {
            return Err(invalid(
                "card",
                "repeated with another holder, company or dates",
            ));
        }
        card.history.extend(row.changes);
        card.history.sort_by_key(|c| match c {
            StatusChange::Blocked { at, .. } | StatusChange::Unblocked { at } => at.unix_nanos(),
        });
        Ok(())
    }

    /// Adds or replaces a card.
    pub fn insert(&mut self, card: Card) {
        self.cards.insert(card.number, card);
    }

    /// The card with this number.
    pub fn get(&self, number: &CardNumber) -> Option<&Card> {
        self.cards.get(number)
    }

    /// All cards, by number.
    pub fn cards(&self) -> impl Iterator<Item = &Card> {
        self.cards.values()
    }

    /// Whether the card may be used at `at`: valid, or why not (unknown, not
    /// yet valid, expired, blocked).
    pub fn validity(&self, number: &CardNumber, at: Timestamp) -> Validity {
        self.cards
            .get(number)
            .map_or(Validity::Unknown, |card| card.validity(at))
    }

    /// Per company, the cards that are valid on `at` and whose last valid day
    /// lies within `days` days of it (inclusive), soonest first.
    /// A window past the end of the calendar reaches to its last day.
    pub fn expiring(&self, at: Date, days: i64) -> BTreeMap<String, Vec<&Card>> {
        let until = days
            .checked_mul(86_400)
            .and_then(|seconds| at.checked_add(Duration::seconds(seconds)))
            .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX });
        let mut out: BTreeMap<String, Vec<&Card>> = BTreeMap::new();
        for card in self.cards.values() {
            let status = card
                .history
                .iter()
                .rev()
                .find(|c| c.at().local_date() <= at);
            let blocked = matches!(status, Some(StatusChange::Blocked { .. }));
            if card.valid_from <= at && at <= card.valid_to && card.valid_to <= until && !blocked {
                out.entry(card.company.clone()).or_default().push(card);
            }
        }
        for cards in out.values_mut() {
            cards.sort_by_key(|c| (c.valid_to, c.number));
        }
        out
    }

    /// Every company with at least one card usable on some day of `year`, and
    /// how many such cards: the basis of the yearly fee.
    pub fn fee_basis(&self, year: i32) -> BTreeMap<String, u64> {
        let (Ok(first), Ok(last)) = (
            Date::from_calendar_date(year, Month::January, 1),
            Date::from_calendar_date(year, Month::December, 31),
        ) else {
            return BTreeMap::new();
        };
        let mut out = BTreeMap::new();
        for card in self
            .cards
            .values()
            .filter(|c| c.active_on_some_day(first, last))
        {
            *out.entry(card.company.clone()).or_insert(0) += 1;
        }
        out
    }
}
