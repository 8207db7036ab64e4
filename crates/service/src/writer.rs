//! The one writer: every change to the database goes through one thread,
//! which takes the requests waiting, applies them in one transaction and
//! commits once (group commit). A request is answered only after the commit
//! is on disk, so an acknowledged registration survives a crash; a failed
//! commit (a full disk) fails every request of its batch, and SQLite rolls
//! the whole batch back, so nothing is half-written.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use loggningsindex_cards::{BlockReason, CardNumber, Validity};
use loggningsindex_core::Timestamp;
use loggningsindex_register::ledger::{Head, Registration, encode_registration};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use tokio::sync::oneshot;

use crate::api::NewRegistration;
use crate::cards;
use crate::error::{Error, Result};
use crate::secrets::{Secrets, random_hex};
use crate::tokens::Grant;

/// The most requests committed together.
const MAX_BATCH: usize = 512;
/// Requests that may wait for the writer before new ones get `503`.
const QUEUE: usize = 8192;

/// Why a request was not carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `422`: the request cannot be carried out as it stands.
    Unprocessable(String),
    /// `403`: the token may not do this.
    Forbidden(String),
    /// `404`: no such card.
    NotFound(String),
    /// `503`: storage full or failing, or the writer overloaded; retry later.
    Unavailable(String),
}

/// A stored registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// Its sequence number in the ledger.
    pub entry: u64,
    /// Its hash: the ledger's head just after it.
    pub head: String,
    /// Whether it was stored by an earlier request with the same idempotency key.
    pub replayed: bool,
}

/// A block carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// From when.
    pub at: Timestamp,
    /// Why.
    pub reason: BlockReason,
}

/// An idempotency key with the digest of the request it came with.
#[derive(Clone, Debug)]
pub struct Idempotency {
    /// The `Idempotency-Key` header.
    pub key: String,
    /// SHA-256 of the request body.
    pub digest: String,
}

enum Job {
    Register {
        token: i64,
        request: NewRegistration,
        idempotency: Option<Idempotency>,
        reply: oneshot::Sender<Result<Stored, Refusal>>,
    },
    Block {
        grant: Grant,
        card: CardNumber,
        reason: BlockReason,
        reply: oneshot::Sender<Result<Blocked, Refusal>>,
    },
}

/// The handle requests are sent through.
#[derive(Clone)]
pub struct Writer {
    jobs: SyncSender<Job>,
}

impl Writer {
    /// Starts the writer thread on `conn`, whose last entry is read here.
    ///
    /// # Errors
    ///
    /// A database error, or a broken chain in the database.
    pub fn start(conn: Connection, secrets: Arc<Secrets>) -> Result<Writer> {
        let head = check_chain(&conn)?;
        let (jobs, queue) = sync_channel(QUEUE);
        let mut state = State {
            conn,
            secrets,
            head,
        };
        std::thread::Builder::new()
            .name("writer".into())
            .spawn(move || state.run(&queue))?;
        Ok(Writer { jobs })
    }

    fn send(&self, job: Job) -> Result<(), Refusal> {
        self.jobs.try_send(job).map_err(|e| {
            Refusal::Unavailable(match e {
                TrySendError::Full(_) => "too many requests waiting; retry".into(),
                TrySendError::Disconnected(_) => "the writer has stopped".into(),
            })
        })
    }

    /// Stores a registration made by token `token`, once per idempotency key.
    pub async fn register(
        &self,
        token: i64,
        request: NewRegistration,
        idempotency: Option<Idempotency>,
    ) -> Result<Stored, Refusal> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Register {
            token,
            request,
            idempotency,
            reply,
        })?;
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }

    /// Blocks a card for the company the grant speaks for.
    pub async fn block(
        &self,
        grant: Grant,
        card: CardNumber,
        reason: BlockReason,
    ) -> Result<Blocked, Refusal> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Block {
            grant,
            card,
            reason,
            reply,
        })?;
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }
}

fn stopped() -> Refusal {
    Refusal::Unavailable("the writer has stopped".into())
}

/// Checks the stored chain's links (each entry names its predecessor's hash,
/// numbers run 1, 2, 3…) and returns its head. Hashes themselves are over the
/// sealed payloads and are checked by `ledger export`.
fn check_chain(conn: &Connection) -> Result<Head> {
    let (count, last): (i64, Option<i64>) =
        conn.query_row("SELECT count(*), max(seq) FROM entries", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let broken: i64 = conn.query_row(
        "SELECT count(*) FROM entries e LEFT JOIN entries p ON p.seq = e.seq - 1
         WHERE (e.seq = 1 AND e.prev != ?1) OR (e.seq > 1 AND (p.hash IS NULL OR e.prev != p.hash))",
        params![loggningsindex_register::ledger::GENESIS],
        |r| r.get(0),
    )?;
    if broken > 0 || last.unwrap_or(0) != count {
        return Err(Error::Invalid(format!(
            "the ledger in the database is broken ({broken} entries do not name their predecessor, {count} entries up to number {})",
            last.unwrap_or(0)
        )));
    }
    let head: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(head.map_or_else(Head::default, |(seq, hash)| Head {
        seq: seq as u64,
        hash,
    }))
}

struct State {
    conn: Connection,
    secrets: Arc<Secrets>,
    head: Head,
}

/// A job's answer, held until the commit: `Err` is a storage failure.
enum Done {
    Register(
        oneshot::Sender<Result<Stored, Refusal>>,
        Result<Result<Stored, Refusal>>,
    ),
    Block(
        oneshot::Sender<Result<Blocked, Refusal>>,
        Result<Result<Blocked, Refusal>>,
    ),
}

impl Done {
    fn failed(&self) -> Option<&Error> {
        match self {
            Done::Register(_, Err(e)) | Done::Block(_, Err(e)) => Some(e),
            _ => None,
        }
    }

    /// Sends the answer; `failure` replaces it when the batch was not stored.
    fn answer(self, failure: Option<&Refusal>) {
        fn pick<T>(r: Result<Result<T, Refusal>>, failure: Option<&Refusal>) -> Result<T, Refusal> {
            match (failure, r) {
                (Some(f), _) => Err(f.clone()),
                (None, Ok(answer)) => answer,
                (None, Err(_)) => Err(Refusal::Unavailable("storage failed".into())),
            }
        }
        // A client that went away does not care for its answer.
        match self {
            Done::Register(reply, r) => drop(reply.send(pick(r, failure))),
            Done::Block(reply, r) => drop(reply.send(pick(r, failure))),
        }
    }
}

impl State {
    fn run(&mut self, queue: &Receiver<Job>) {
        while let Ok(first) = queue.recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.commit(batch);
        }
    }

    /// Applies a batch in one transaction and answers every job after the
    /// commit; if anything fails on the storage side, nothing of the batch
    /// is kept (the transaction rolls back) and every job is told `503`.
    fn commit(&mut self, batch: Vec<Job>) {
        let mut head = self.head.clone();
        let mut done = Vec::with_capacity(batch.len());
        let result = self.conn.transaction().map_err(Error::from).and_then(|tx| {
            for job in batch {
                if done.iter().any(|d: &Done| d.failed().is_some()) {
                    done.push(job.abandon());
                } else {
                    done.push(apply(&tx, &self.secrets, &mut head, job));
                }
            }
            match done.iter().find_map(Done::failed) {
                Some(e) => Err(Error::Database {
                    message: e.to_string(),
                    full: e.is_full(),
                }),
                None => tx.commit().map_err(Error::from),
            }
        });
        let failure = match result {
            Ok(()) => {
                self.head = head;
                None
            }
            Err(e) => Some(Refusal::Unavailable(if e.is_full() {
                "storage full; nothing was stored, retry later".into()
            } else {
                "storage failed; nothing was stored, retry later".into()
            })),
        };
        for d in done {
            d.answer(failure.as_ref());
        }
    }
}

impl Job {
    /// The job, not done because its batch failed before it.
    fn abandon(self) -> Done {
        let skipped = Error::Invalid("batch failed".into());
        match self {
            Job::Register { reply, .. } => Done::Register(reply, Err(skipped)),
            Job::Block { reply, .. } => Done::Block(reply, Err(skipped)),
        }
    }
}

/// Carries out one job in the transaction.
fn apply(tx: &Transaction<'_>, secrets: &Secrets, head: &mut Head, job: Job) -> Done {
    match job {
        Job::Register {
            token,
            request,
            idempotency,
            reply,
        } => Done::Register(
            reply,
            register(tx, secrets, head, token, request, idempotency.as_ref()),
        ),
        Job::Block {
            grant,
            card,
            reason,
            reply,
        } => Done::Block(reply, block(tx, secrets, &grant, &card, reason)),
    }
}

fn now() -> Timestamp {
    Timestamp::from_offset_datetime(time::OffsetDateTime::now_utc())
        .expect("the clock is within the years a timestamp holds")
}

fn register(
    tx: &Transaction<'_>,
    secrets: &Secrets,
    head: &mut Head,
    token: i64,
    request: NewRegistration,
    idempotency: Option<&Idempotency>,
) -> Result<Result<Stored, Refusal>> {
    if let Some(idem) = idempotency {
        let earlier: Option<(String, i64, String)> = tx
            .query_row(
                "SELECT i.digest, e.seq, e.hash FROM idempotency i JOIN entries e ON e.seq = i.seq
                 WHERE i.token = ?1 AND i.key = ?2",
                params![token, idem.key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((digest, seq, hash)) = earlier {
            return Ok(if digest == idem.digest {
                Ok(Stored {
                    entry: seq as u64,
                    head: hash,
                    replayed: true,
                })
            } else {
                Err(Refusal::Unprocessable(
                    "Idempotency-Key already used for another request".into(),
                ))
            });
        }
    }
    let Some(stored) = cards::load(tx, secrets, &request.card)? else {
        return Ok(Err(Refusal::Unprocessable("unknown card".into())));
    };
    // A block takes effect for every registration received after it, whatever
    // time the terminal gives; validity days are judged at the registration's time.
    let on_receipt = stored.card.validity(now());
    if let Validity::Blocked { .. } = on_receipt
        && let Some(reason) = on_receipt.reason()
    {
        return Ok(Err(Refusal::Unprocessable(reason)));
    }
    if let Some(reason) = stored.card.validity(request.at).reason() {
        return Ok(Err(Refusal::Unprocessable(reason)));
    }
    let registration = Registration {
        person: stored.card.holder.clone(),
        company: stored.card.company.clone(),
        site: request.site.clone(),
        card: request.card.to_string(),
        at: request.at,
        direction: request.direction,
        device: format!("token-{token}"),
        origin: request.origin,
        salt: Some(random_hex(16)?),
    };
    let encoded = encode_registration(head, &registration)?;
    let sealed = secrets.seal(&encoded.seq.to_string(), encoded.payload.as_bytes())?;
    tx.prepare_cached(
        "INSERT INTO entries (seq, prev, hash, site, at_nanos, offset_seconds, direction, origin,
                              person_ref, company_ref, card_ref, token, sealed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        encoded.seq as i64,
        encoded.prev,
        encoded.hash,
        request.site,
        request.at.unix_nanos(),
        request.at.offset().whole_seconds(),
        request.direction.to_string(),
        request.origin.as_str(),
        stored.person_ref,
        stored.company_ref,
        stored.card_ref,
        token,
        sealed
    ])?;
    if let Some(idem) = idempotency {
        tx.prepare_cached(
            "INSERT INTO idempotency (token, key, digest, seq) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![token, idem.key, idem.digest, encoded.seq as i64])?;
    }
    *head = encoded.head();
    Ok(Ok(Stored {
        entry: encoded.seq,
        head: encoded.hash,
        replayed: false,
    }))
}

fn block(
    tx: &Transaction<'_>,
    secrets: &Secrets,
    grant: &Grant,
    card: &CardNumber,
    reason: BlockReason,
) -> Result<Result<Blocked, Refusal>> {
    let Some(stored) = cards::load(tx, secrets, card)? else {
        return Ok(Err(Refusal::NotFound("unknown card".into())));
    };
    if !grant.covers_company(&stored.company_ref) {
        return Ok(Err(Refusal::Forbidden(
            "only the issuing company's token may block this card".into(),
        )));
    }
    let at = now();
    cards::block(tx, &stored.card_ref, at, reason, grant.id)?;
    Ok(Ok(Blocked { at, reason }))
}
