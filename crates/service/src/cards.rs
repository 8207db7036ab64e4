//! The card register in the database: imported from a card file, read at
//! every registration, blocked through the API.

use loggningsindex_cards::{BlockReason, Card, CardNumber, CardRegister, StatusChange};
use loggningsindex_core::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use time::{Date, UtcOffset};

use crate::error::{Error, Result};
use crate::secrets::Secrets;

/// What a card row seals: who holds it and for whom.
#[derive(Serialize, Deserialize)]
struct Holder {
    holder: String,
    name: String,
    company: String,
}

/// One status change as the database keeps it.
#[derive(Serialize, Deserialize)]
struct Change {
    at: i64,
    offset: i32,
    /// The block reason, or `None` for an unblock.
    blocked: Option<String>,
}

/// A card as read from the database, with its references.
pub struct StoredCard {
    /// The card (identities opened).
    pub card: Card,
    /// The card's reference.
    pub card_ref: String,
    /// The holder's reference.
    pub person_ref: String,
    /// The issuing company's reference.
    pub company_ref: String,
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Cards new to the database.
    pub added: u64,
    /// Cards already there, replaced by the file's row.
    pub updated: u64,
    /// Cards whose holder or company is not a valid identity number, each
    /// `(card, reason)`; not imported.
    pub refused: Vec<(String, String)>,
}

/// Imports a card register in one transaction. A card already in the
/// database is replaced by the file's version; blocks made through the API
/// are kept (they are stored apart and never undone by an import).
///
/// # Errors
///
/// A database error (then nothing is imported).
pub fn import(
    conn: &mut Connection,
    secrets: &Secrets,
    register: &CardRegister,
) -> Result<Imported> {
    let tx = conn.transaction()?;
    let mut done = Imported::default();
    for card in register.cards() {
        let refs = secrets
            .person_ref(&card.holder)
            .map_err(|e| format!("holder: {e}"))
            .and_then(|p| {
                let c = secrets
                    .company_ref(&card.company)
                    .map_err(|e| format!("company: {e}"))?;
                Ok((p, c))
            });
        let (person_ref, company_ref) = match refs {
            Ok(refs) => refs,
            Err(reason) => {
                done.refused.push((card.number.to_string(), reason));
                continue;
            }
        };
        let card_ref = secrets.card_ref(&card.number);
        let holder = Holder {
            holder: card.holder.clone(),
            name: card.name.clone(),
            company: card.company.clone(),
        };
        let sealed = secrets.seal(&card_ref, &json(&holder)?)?;
        let history = String::from_utf8(json(&changes(&card.history))?).expect("JSON is UTF-8");
        let existed: bool = tx
            .query_row(
                "SELECT 1 FROM cards WHERE card_ref = ?1",
                params![card_ref],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        tx.execute(
            "INSERT OR REPLACE INTO cards
                (card_ref, person_ref, company_ref, valid_from, valid_to, history, sealed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                card_ref,
                person_ref,
                company_ref,
                card.valid_from.to_string(),
                card.valid_to.to_string(),
                history,
                sealed
            ],
        )?;
        if existed {
            done.updated += 1;
        } else {
            done.added += 1;
        }
    }
    tx.commit()?;
    Ok(done)
}

fn json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Invalid(e.to_string()))
}

fn changes(history: &[StatusChange]) -> Vec<Change> {
    history
        .iter()
        .map(|c| Change {
            at: c.at().unix_nanos(),
            offset: c.at().offset().whole_seconds(),
            blocked: match c {
                StatusChange::Blocked { reason, .. } => Some(reason.as_str().to_string()),
                StatusChange::Unblocked { .. } => None,
            },
        })
        .collect()
}

fn timestamp(at: i64, offset: i32) -> Result<Timestamp> {
    let offset = UtcOffset::from_whole_seconds(offset).map_err(|_| Error::Sealed)?;
    Ok(Timestamp::new(at, offset))
}

fn change(c: &Change) -> Result<StatusChange> {
    let at = timestamp(c.at, c.offset)?;
    Ok(match &c.blocked {
        Some(reason) => StatusChange::Blocked {
            at,
            reason: reason
                .parse()
                .map_err(|()| Error::Invalid(format!("block reason {reason:?}")))?,
        },
        None => StatusChange::Unblocked { at },
    })
}

/// Reads a card, its history including the blocks made through the API.
///
/// # Errors
///
/// A database error, or a sealed value that does not open.
pub fn load(
    conn: &Connection,
    secrets: &Secrets,
    number: &CardNumber,
) -> Result<Option<StoredCard>> {
    let card_ref = secrets.card_ref(number);
    let row: Option<(String, String, String, String, String, Vec<u8>)> = conn
        .query_row(
            "SELECT person_ref, company_ref, valid_from, valid_to, history, sealed
             FROM cards WHERE card_ref = ?1",
            params![card_ref],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?;
    let Some((person_ref, company_ref, from, to, history, sealed)) = row else {
        return Ok(None);
    };
    let holder: Holder =
        serde_json::from_slice(&secrets.open(&card_ref, &sealed)?).map_err(|_| Error::Sealed)?;
    let stored: Vec<Change> = serde_json::from_str(&history).map_err(|_| Error::Sealed)?;
    let mut history = stored.iter().map(change).collect::<Result<Vec<_>>>()?;
    let mut blocks = conn.prepare_cached(
        "SELECT at_nanos, offset_seconds, reason FROM blocks WHERE card_ref = ?1 ORDER BY id",
    )?;
    let rows = blocks.query_map(params![card_ref], |r| {
        Ok(Change {
            at: r.get(0)?,
            offset: r.get(1)?,
            blocked: Some(r.get(2)?),
        })
    })?;
    for c in rows {
        history.push(change(&c?)?);
    }
    history.sort_by_key(|c| c.at().unix_nanos());
    let date = |text: &str| {
        Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| Error::Sealed)
    };
    Ok(Some(StoredCard {
        card: Card {
            number: *number,
            holder: holder.holder,
            name: holder.name,
            company: holder.company,
            valid_from: date(&from)?,
            valid_to: date(&to)?,
            history,
        },
        card_ref,
        person_ref,
        company_ref,
    }))
}

/// Records a block of a card from `at` on, made by token `token`.
///
/// # Errors
///
/// A database error.
pub fn block(
    conn: &Connection,
    card_ref: &str,
    at: Timestamp,
    reason: BlockReason,
    token: i64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO blocks (card_ref, at_nanos, offset_seconds, reason, token)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            card_ref,
            at.unix_nanos(),
            at.offset().whole_seconds(),
            reason.as_str(),
            token
        ],
    )?;
    Ok(())
}
