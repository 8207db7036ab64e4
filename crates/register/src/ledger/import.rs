//! Registrations from an event file.

use std::io::Read;

use loggningsindex_format::{EventReader, Next, Reject, trim};
use loggningsindex_zone::Zone;

use super::{Entry, Registration};
use crate::error::{Error, Result};

/// Reads an event file as registrations, as every reader of the event
/// format reads it; an optional `device` column is kept. Rows that cannot be
/// read are returned as rejects (line and reason), not imported.
///
/// # Errors
///
/// A file without a header or without the required columns, or an I/O error.
pub fn import_events<R: Read>(input: R, zone: &Zone) -> Result<(Vec<Entry>, Vec<Reject>)> {
    let mut reader = EventReader::new(input, zone).map_err(Error::Events)?;
    let device = reader
        .header()
        .iter()
        .position(|h| trim(h).eq_ignore_ascii_case(b"device"));
    let mut entries = Vec::new();
    let mut rejects = Vec::new();
    loop {
        let registration = match reader.next_row().map_err(Error::Events)? {
            Next::End => break,
            Next::Rejected(reject) => {
                rejects.push(reject);
                continue;
            }
            Next::Row(row) => Registration {
                person: row.person.to_string(),
                company: row.company.to_string(),
                site: row.site.to_string(),
                card: row.card.unwrap_or_default().to_string(),
                at: row.at,
                direction: row.direction,
                device: String::new(),
                origin: row.origin,
                salt: None,
            },
        };
        let device = device
            .map(|i| String::from_utf8_lossy(trim(&reader.record()[i])).into_owned())
            .unwrap_or_default();
        entries.push(Entry::Registration(Registration {
            device,
            ..registration
        }));
    }
    Ok((entries, rejects))
}
