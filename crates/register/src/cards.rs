//! The card register: loading it from CSV, and the questions asked of it —
//! validity, expiry, the yearly fee basis.

use std::collections::BTreeMap;
use std::io::Read;

use loggningsindex_core::Timestamp;
use loggningsindex_format::{Reject, RejectReason, parse_timestamp, trim};
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

/// The columns of a card file. `blocked_at`, `block_reason` and
/// `unblocked_at` are optional; a card may appear on several rows, each
/// adding a status change.
pub const CARD_COLUMNS: [&str; 8] = [
    "card",
    "holder",
    "company",
    "valid_from",
    "valid_to",
    "blocked_at",
    "block_reason",
    "unblocked_at",
];

/// A CSV reader that checks field counts itself, and the header record;
/// `None` for an input without any record.
fn read_header<R: Read>(input: R) -> Result<Option<(csv::Reader<R>, csv::ByteRecord)>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record).map_err(Error::csv)? {
        return Ok(None);
    }
    Ok(Some((reader, record)))
}

fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
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
        let Some((mut reader, mut record)) = read_header(input)? else {
            return Err(Error::MissingColumns {
                missing: CARD_COLUMNS[..5].join(", "),
            });
        };
        let header: Vec<String> = record
            .iter()
            .map(|f| {
                String::from_utf8_lossy(trim(f))
                    .trim_start_matches('\u{feff}')
                    .to_ascii_lowercase()
            })
            .collect();
        let find = |name: &str| header.iter().position(|h| h == name);
        let missing: Vec<&str> = CARD_COLUMNS[..5]
            .iter()
            .copied()
            .filter(|c| find(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingColumns {
                missing: missing.join(", "),
            });
        }
        let col: Vec<Option<usize>> = CARD_COLUMNS.iter().map(|c| find(c)).collect();
        let mut offsets = zone.offsets();
        let mut register = CardRegister::default();
        let mut rejects = Vec::new();
        while reader.read_byte_record(&mut record).map_err(Error::csv)? {
            let line = record.position().map_or(0, |p| p.line());
            let field = |i: usize| -> String {
                col[i]
                    .and_then(|c| record.get(c))
                    .map(|f| String::from_utf8_lossy(trim(f)).into_owned())
                    .unwrap_or_default()
            };
            let row = (|| -> std::result::Result<(), RejectReason> {
                if record.len() != header.len() {
                    return Err(RejectReason::FieldCount {
                        expected: header.len() as u32,
                        found: record.len() as u32,
                    });
                }
                let number: CardNumber = field(0).parse().map_err(|_| RejectReason::Invalid {
                    column: "card",
                    detail: "expected two letters and ten digits, as AB-1234567890",
                })?;
                let (holder, company) = (field(1), field(2));
                if holder.is_empty() {
                    return Err(RejectReason::Empty("holder"));
                }
                if company.is_empty() {
                    return Err(RejectReason::Empty("company"));
                }
                let date = |i: usize, column: &'static str| {
                    parse_date(&field(i)).ok_or(RejectReason::Invalid {
                        column,
                        detail: "expected YYYY-MM-DD",
                    })
                };
                let (from, to) = (date(3, "valid_from")?, date(4, "valid_to")?);
                if to < from {
                    return Err(RejectReason::Invalid {
                        column: "valid_to",
                        detail: "before valid_from",
                    });
                }
                let mut instant =
                    |text: String,
                     column: &'static str|
                     -> std::result::Result<Option<Timestamp>, RejectReason> {
                        if text.is_empty() {
                            return Ok(None);
                        }
                        parse_timestamp(&text, &mut offsets).map(Some).map_err(|e| {
                            RejectReason::Invalid {
                                column,
                                detail: e.as_str(),
                            }
                        })
                    };
                let blocked_at = instant(field(5), "blocked_at")?;
                let reason = field(6);
                let unblocked_at = instant(field(7), "unblocked_at")?;
                // Everything is checked before anything is stored: a rejected
                // row leaves the register as it was.
                let blocked = match (blocked_at, reason.is_empty()) {
                    (Some(at), _) => {
                        let reason: BlockReason =
                            reason.parse().map_err(|()| RejectReason::Invalid {
                                column: "block_reason",
                                detail: "expected lost, stolen or employment_ended",
                            })?;
                        Some(StatusChange::Blocked { at, reason })
                    }
                    (None, true) => None,
                    (None, false) => {
                        return Err(RejectReason::Invalid {
                            column: "block_reason",
                            detail: "given without blocked_at",
                        });
                    }
                };
                let card = register.cards.entry(number).or_insert_with(|| Card {
                    number,
                    holder: holder.clone(),
                    company: company.clone(),
                    valid_from: from,
                    valid_to: to,
                    history: Vec::new(),
                });
                if card.holder != holder
                    || card.company != company
                    || card.valid_from != from
                    || card.valid_to != to
                {
                    return Err(RejectReason::Invalid {
                        column: "card",
                        detail: "repeated with another holder, company or dates",
                    });
                }
                card.history.extend(blocked);
                if let Some(at) = unblocked_at {
                    card.history.push(StatusChange::Unblocked { at });
                }
                card.history.sort_by_key(|c| match c {
                    StatusChange::Blocked { at, .. } | StatusChange::Unblocked { at } => {
                        at.unix_nanos()
                    }
                });
                Ok(())
            })();
            if let Err(reason) = row {
                rejects.push(Reject { line, reason });
            }
        }
        Ok((register, rejects))
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
