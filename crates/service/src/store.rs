//! The database: one SQLite file in WAL mode, created on first open (mode
//! 0600), its schema migrated by version, every commit synced to disk.

use std::path::{Path, PathBuf};

use loggningsindex_pseudonym::Key;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::secrets::Secrets;

/// The schema, one entry per version: entry `n` takes a database from
/// version `n` to `n + 1`. Never edit an entry; add one.
const MIGRATIONS: &[&str] = &[
    // 1: tokens, cards, blocks, the ledger, idempotency keys.
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE tokens (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        scope TEXT NOT NULL,
        created TEXT NOT NULL);
     CREATE TABLE cards (
        card_ref TEXT PRIMARY KEY,
        person_ref TEXT NOT NULL,
        company_ref TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_to TEXT NOT NULL,
        history TEXT NOT NULL,
        sealed BLOB NOT NULL);
     CREATE TABLE blocks (
        id INTEGER PRIMARY KEY,
        card_ref TEXT NOT NULL REFERENCES cards (card_ref),
        at_nanos INTEGER NOT NULL,
        offset_seconds INTEGER NOT NULL,
        reason TEXT NOT NULL,
        token INTEGER NOT NULL REFERENCES tokens (id));
     CREATE INDEX blocks_by_card ON blocks (card_ref);
     CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL,
        site TEXT NOT NULL,
        at_nanos INTEGER NOT NULL,
        offset_seconds INTEGER NOT NULL,
        direction TEXT NOT NULL,
        origin TEXT NOT NULL,
        person_ref TEXT NOT NULL,
        company_ref TEXT NOT NULL,
        card_ref TEXT NOT NULL,
        token INTEGER NOT NULL REFERENCES tokens (id),
        sealed BLOB NOT NULL);
     CREATE INDEX entries_by_site ON entries (site, at_nanos);
     CREATE INDEX entries_by_company ON entries (company_ref, at_nanos);
     CREATE TABLE idempotency (
        token INTEGER NOT NULL REFERENCES tokens (id),
        key TEXT NOT NULL,
        digest TEXT NOT NULL,
        seq INTEGER NOT NULL REFERENCES entries (seq),
        PRIMARY KEY (token, key));",
    // 2: tokens can be revoked (kept, since registrations name them).
    "ALTER TABLE tokens ADD COLUMN revoked TEXT;",
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Where a database and its key are.
#[derive(Clone, Debug)]
pub struct Location {
    /// The database file.
    pub db: PathBuf,
    /// The key file (default: beside the database, `DB.key`).
    pub key_file: PathBuf,
}

impl Location {
    /// The database at `db`, its key at `key_file` or beside it.
    pub fn new(db: &Path, key_file: Option<&Path>) -> Location {
        let key_file = key_file.map_or_else(
            || {
                let mut name = db.as_os_str().to_owned();
                name.push(".key");
                PathBuf::from(name)
            },
            Path::to_path_buf,
        );
        Location {
            db: db.to_path_buf(),
            key_file,
        }
    }
}

/// An open database with its secrets.
pub struct Store {
    /// The first connection (others are opened with [`Store::connect`]).
    pub conn: Connection,
    /// The keys.
    pub secrets: Secrets,
    /// Where it is.
    pub location: Location,
}

impl Store {
    /// Opens the database, creating it and its key on first use, migrating
    /// its schema, and checking that the key is the database's own.
    ///
    /// # Errors
    ///
    /// [`Error::KeyMissing`] for a database whose key file is gone,
    /// [`Error::WrongKey`], [`Error::NewerSchema`], or a database error.
    pub fn open(location: &Location, today: time::Date) -> Result<Store> {
        create_private(&location.db)?;
        let mut conn = connect(&location.db)?;
        migrate(&mut conn)?;
        let recorded: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE name = 'key_check'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let key = match (location.key_file.exists(), &recorded) {
            (true, _) => Key::load(&location.key_file).map_err(|e| Error::Key(e.to_string()))?,
            (false, None) => {
                Key::write_new(&location.key_file).map_err(|e| Error::Key(e.to_string()))?
            }
            (false, _) => {
                return Err(Error::KeyMissing {
                    path: location.key_file.clone(),
                });
            }
        };
        let secrets = Secrets::new(&key, today);
        match recorded {
            Some(check) if check != secrets.fingerprint() => return Err(Error::WrongKey),
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT INTO meta (name, value) VALUES ('key_check', ?1)",
                    params![secrets.fingerprint()],
                )?;
            }
        }
        Ok(Store {
            conn,
            secrets,
            location: location.clone(),
        })
    }

    /// Another connection to the same database.
    ///
    /// # Errors
    ///
    /// A database error.
    pub fn connect(&self) -> Result<Connection> {
        connect(&self.location.db)
    }
}

/// Creates an empty file readable by its owner only, if there is none.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    Ok(())
}

/// A connection with the service's settings: WAL, every commit synced
/// (`synchronous = FULL`), foreign keys on, and waiting up to 10 s for a
/// lock held by another process (a `cards import`, say).
pub(crate) fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Brings the schema to [`SCHEMA_VERSION`], one version per transaction.
fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        let Some(step) = MIGRATIONS.get(version as usize) else {
            return Ok(());
        };
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// Limits the database to about `bytes` (SQLite's `max_page_count`): writes
/// beyond it fail as a full disk would, so the limit can keep free space for
/// the rest of the machine.
///
/// # Errors
///
/// A database error.
pub fn limit_size(conn: &Connection, bytes: u64) -> Result<()> {
    let page: u64 = conn.pragma_query_value(None, "page_size", |r| r.get::<_, i64>(0))? as u64;
    let pages = (bytes / page.max(1)).max(1);
    conn.pragma_update(None, "max_page_count", pages as i64)?;
    Ok(())
}
