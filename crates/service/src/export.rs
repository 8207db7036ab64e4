//! The database's ledger as a ledger file, for `ledger verify` and for the
//! Tax Agency: every entry opened, its chain checked, written with its head.

use std::path::Path;

use loggningsindex_register::ledger::{Head, create};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::secrets::Secrets;

/// Writes every entry of the database to a new ledger file at `path` (and
/// its head file), after checking the whole chain: each payload opens with
/// the key, and each hash is that of its payload. Nothing is written if the
/// chain does not verify.
///
/// # Errors
///
/// A sealed payload that does not open, a chain that does not verify, an
/// existing file at `path`, or a database error.
pub fn export_ledger(conn: &Connection, secrets: &Secrets, path: &Path) -> Result<Head> {
    let mut query = conn.prepare("SELECT seq, prev, hash, sealed FROM entries ORDER BY seq")?;
    let rows = query.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Vec<u8>>(3)?,
        ))
    })?;
    let mut bytes = Vec::new();
    for row in rows {
        let (seq, prev, hash, sealed) = row?;
        let payload = secrets.open(&seq.to_string(), &sealed)?;
        if payload.contains(&b'\n') {
            return Err(Error::Sealed);
        }
        bytes.extend(format!("{seq}\t{prev}\t{hash}\t").as_bytes());
        bytes.extend(payload);
        bytes.push(b'\n');
    }
    Ok(create(path, &bytes)?)
}
