//! The database's ledger as a ledger file, for `ledger verify` and for the
//! Tax Agency: every entry opened, its chain checked, written with its head.

use std::path::Path;

use loggningsindex_register::ledger::{Entry, Head, create};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::secrets::Secrets;

/// The columns the service searches by, beside each sealed payload.
struct Columns {
    site: String,
    at_nanos: i64,
    offset_seconds: i32,
    direction: String,
    origin: String,
}

impl Columns {
    /// The columns must say what the sealed payload says: someone who
    /// changed a column in the file (to hide a presence, say) without the
    /// key is found out here.
    fn check(&self, seq: i64, payload: &[u8]) -> Result<()> {
        let entry: Entry = serde_json::from_slice(payload).map_err(|_| Error::Sealed)?;
        let Entry::Registration(r) = entry else {
            return Err(Error::Invalid(format!("entry {seq}: not a registration")));
        };
        let agrees = r.site == self.site
            && r.at.unix_nanos() == self.at_nanos
            && r.at.offset().whole_seconds() == self.offset_seconds
            && r.direction.to_string() == self.direction
            && r.origin.as_str() == self.origin;
        if agrees {
            Ok(())
        } else {
            Err(Error::Invalid(format!(
                "entry {seq}: the database's columns disagree with its sealed payload (changed without the key)"
            )))
        }
    }
}

/// Writes every entry of the database to a new ledger file at `path` (and
/// its head file), after checking the whole chain: each payload opens with
/// the key, its searchable columns agree with it, and each hash is that of
/// its payload. Nothing is written if the
/// chain does not verify.
///
/// # Errors
///
/// A sealed payload that does not open, a chain that does not verify, an
/// existing file at `path`, or a database error.
pub fn export_ledger(conn: &Connection, secrets: &Secrets, path: &Path) -> Result<Head> {
    let mut query = conn.prepare(
        "SELECT seq, prev, hash, sealed, site, at_nanos, offset_seconds, direction, origin
         FROM entries ORDER BY seq",
    )?;
    let rows = query.query_map([], |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ),
            r.get::<_, Vec<u8>>(3)?,
            Columns {
                site: r.get(4)?,
                at_nanos: r.get(5)?,
                offset_seconds: r.get(6)?,
                direction: r.get(7)?,
                origin: r.get(8)?,
            },
        ))
    })?;
    let mut bytes = Vec::new();
    for row in rows {
        let ((seq, prev, hash), sealed, columns) = row?;
        let payload = secrets.open(&seq.to_string(), &sealed)?;
        if payload.contains(&b'\n') {
            return Err(Error::Sealed);
        }
        columns.check(seq, &payload)?;
        bytes.extend(format!("{seq}\t{prev}\t{hash}\t").as_bytes());
        bytes.extend(payload);
        bytes.push(b'\n');
    }
    Ok(create(path, &bytes)?)
}
