//! Pseudonymising an event file: only the event format's columns, each
//! validated, identifiers replaced.

use std::io::{Read, Write};

use loggningsindex_format::{
    Columns, EventReader, EventRow, IdColumn, Next, Reject, RejectReason, trim,
};
use loggningsindex_zone::Zone;

use crate::{Domain, Pseudonymizer, reject_reason};

/// What [`pseudonymize_csv`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStats {
    /// Data rows read.
    pub read: u64,
    /// Rows written, identifiers replaced.
    pub written: u64,
    /// Rows not written: wrong field count, an unreadable field or an invalid
    /// identity number.
    pub rejects: Vec<Reject>,
    /// Columns of the input that were not written (neither part of the event
    /// format nor asked for with [`PseudonymizeOptions::keep_columns`]).
    pub dropped_columns: Vec<String>,
}

/// How [`pseudonymize_csv`] reads and writes.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PseudonymizeOptions {
    /// The sites' time zone, for reading naive timestamps (as `compute` does).
    pub zone: Zone,
    /// Further input columns to copy unchanged, by name (case-insensitive).
    /// Whatever they hold reaches the output as it is: the caller answers for
    /// them holding no identities.
    pub keep_columns: Vec<String>,
}

impl Default for PseudonymizeOptions {
    fn default() -> Self {
        PseudonymizeOptions {
            zone: Zone::stockholm(),
            keep_columns: Vec::new(),
        }
    }
}

/// Errors of [`pseudonymize_csv`] as a whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// The header is missing or lacks columns, or the input cannot be read.
    #[error(transparent)]
    Header(#[from] loggningsindex_format::Error),
    /// A column asked to be kept is not in the header.
    #[error("--keep-column {name:?}: no such column in the header")]
    NoSuchColumn {
        /// The name asked for.
        name: String,
    },
    /// Reading or writing CSV failed.
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// Writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Writes event CSV from `input` to `output` with only the columns of the
/// event format — `person`, `company`, `site`, `timestamp`, `direction` and
/// (when present) `card` and `origin` — plus any asked for in
/// [`PseudonymizeOptions::keep_columns`]. Every other column is dropped, so a
/// name or an identity number in an extra column cannot reach the output.
///
/// Identifiers are replaced by pseudonyms; the timestamp and direction are
/// checked exactly as `compute` checks them and written trimmed (the
/// direction as `IN` or `OUT`). A row that `compute` would reject, or with an
/// invalid identity number, is not written: it is counted and listed (line
/// and reason, never the content).
///
/// # Errors
///
/// A missing header or required column, a kept column that does not exist,
/// or an I/O error.
pub fn pseudonymize_csv<R: Read, W: Write>(
    input: R,
    output: W,
    pseudonymizer: &mut Pseudonymizer,
    options: &PseudonymizeOptions,
) -> Result<FileStats, FileError> {
    let mut reader = EventReader::new(input, &options.zone)?;
    let columns = *reader.columns();
    let layout = Layout::new(reader.header(), &columns, &options.keep_columns)?;
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record(&layout.names)?;
    let mut stats = FileStats {
        dropped_columns: layout.dropped.clone(),
        ..FileStats::default()
    };
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(layout.names.len());
    loop {
        let (line, written) = match reader.next_row()? {
            Next::End => break,
            Next::Rejected(reject) => (reject.line, Err(reject.reason)),
            Next::Row(row) => (row.line, layout.row(&row, pseudonymizer, &mut out)),
        };
        stats.read += 1;
        match written {
            Ok(()) => {
                for &i in &layout.kept {
                    out.push(reader.record()[i].to_vec());
                }
                writer.write_record(&out)?;
                stats.written += 1;
            }
            Err(reason) => stats.rejects.push(Reject { line, reason }),
        }
    }
    writer.flush()?;
    Ok(stats)
}

/// Which input columns are written, in which order.
struct Layout {
    names: Vec<String>,
    /// Whether the input has a `card` column.
    card: bool,
    /// Whether the input has an `origin` column.
    origin: bool,
    /// Input positions of the kept extra columns.
    kept: Vec<usize>,
    dropped: Vec<String>,
}

impl Layout {
    fn new(
        header: &csv::ByteRecord,
        columns: &Columns,
        keep: &[String],
    ) -> Result<Layout, FileError> {
        let mut names: Vec<String> = ["person", "company", "site", "timestamp", "direction"]
            .map(String::from)
            .to_vec();
        if columns.card.is_some() {
            names.push("card".into());
        }
        if columns.origin.is_some() {
            names.push("origin".into());
        }
        let known: [Option<usize>; 7] = [
            Some(columns.person),
            Some(columns.company),
            Some(columns.site),
            Some(columns.timestamp),
            Some(columns.direction),
            columns.card,
            columns.origin,
        ];
        let name_of = |i: usize| String::from_utf8_lossy(trim(&header[i])).into_owned();
        let mut kept = Vec::new();
        for wanted in keep {
            let found = (0..header.len())
                .find(|&i| name_of(i).eq_ignore_ascii_case(wanted.trim()))
                .ok_or_else(|| FileError::NoSuchColumn {
                    name: wanted.clone(),
                })?;
            if !known.contains(&Some(found)) && !kept.contains(&found) {
                kept.push(found);
                names.push(name_of(found));
            }
        }
        let dropped = (0..header.len())
            .filter(|i| !known.contains(&Some(*i)) && !kept.contains(i))
            .map(name_of)
            .collect();
        Ok(Layout {
            names,
            card: columns.card.is_some(),
            origin: columns.origin.is_some(),
            kept,
            dropped,
        })
    }

    /// Fills `out` with the event columns of one row, pseudonymised, or says
    /// why the row is rejected.
    fn row(
        &self,
        row: &EventRow<'_>,
        pseudonymizer: &mut Pseudonymizer,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), RejectReason> {
        out.clear();
        let mut pseudonym = |raw: &str, column: IdColumn| -> Result<Vec<u8>, RejectReason> {
            pseudonymizer
                .pseudonym_memo(Domain::from(column), raw)
                .map(String::into_bytes)
                .map_err(|e| reject_reason(column, e))
        };
        out.push(pseudonym(row.person, IdColumn::Person)?);
        out.push(pseudonym(row.company, IdColumn::Company)?);
        out.push(pseudonym(row.site, IdColumn::Site)?);
        out.push(row.timestamp.to_vec());
        out.push(row.direction.to_string().into_bytes());
        if self.card {
            // The card is optional: an empty card stays empty.
            out.push(match row.card {
                Some(card) => pseudonym(card, IdColumn::Card)?,
                None => Vec::new(),
            });
        }
        if self.origin {
            out.push(row.origin.as_str().as_bytes().to_vec());
        }
        Ok(())
    }
}
