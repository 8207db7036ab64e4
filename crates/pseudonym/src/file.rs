//! Pseudonymising an event file: only the event format's columns, each
//! validated, identifiers replaced.

use std::io::{Read, Write};

use loggningsindex_bulk::{
    Columns, IdColumn, Reject, RejectReason, parse_direction, parse_id, parse_timestamp, trim,
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
    /// The header is missing or lacks columns.
    #[error(transparent)]
    Header(#[from] loggningsindex_bulk::Error),
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
/// (when present) `card` — plus any asked for in
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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut writer = csv::Writer::from_writer(output);
    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record)? {
        return Err(FileError::Header(loggningsindex_bulk::Error::NoHeader));
    }
    let mut header = record.clone();
    if let Some(bom) = header.get(0).and_then(|f| f.strip_prefix(b"\xEF\xBB\xBF")) {
        let mut fixed = csv::ByteRecord::from(vec![bom]);
        fixed.extend(record.iter().skip(1));
        header = fixed;
    }
    let columns = Columns::from_header(&header)?;
    let layout = Layout::new(&header, &columns, &options.keep_columns)?;
    writer.write_record(&layout.names)?;
    let mut stats = FileStats {
        dropped_columns: layout.dropped.clone(),
        ..FileStats::default()
    };
    let mut offsets = options.zone.offsets();
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(layout.names.len());
    while reader.read_byte_record(&mut record)? {
        stats.read += 1;
        let line = record.position().map_or(0, |p| p.line());
        let written = if record.len() == columns.count {
            layout.row(&record, &columns, pseudonymizer, &mut offsets, &mut out)
        } else {
            Err(RejectReason::FieldCount {
                expected: columns.count as u32,
                found: record.len() as u32,
            })
        };
        match written {
            Ok(()) => {
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
        let known = [
            Some(columns.person),
            Some(columns.company),
            Some(columns.site),
            Some(columns.timestamp),
            Some(columns.direction),
            columns.card,
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
            kept,
            dropped,
        })
    }

    /// Fills `out` with the output fields of one row, or says why it is rejected.
    fn row(
        &self,
        record: &csv::ByteRecord,
        columns: &Columns,
        pseudonymizer: &mut Pseudonymizer,
        offsets: &mut loggningsindex_zone::Offsets,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), RejectReason> {
        out.clear();
        let mut pseudonym = |i: usize, column: IdColumn| -> Result<Vec<u8>, RejectReason> {
            let raw = parse_id(&record[i], column.as_str())?;
            pseudonymizer
                .pseudonym_memo(Domain::from(column), raw)
                .map(String::into_bytes)
                .map_err(|e| reject_reason(column, e))
        };
        out.push(pseudonym(columns.person, IdColumn::Person)?);
        out.push(pseudonym(columns.company, IdColumn::Company)?);
        out.push(pseudonym(columns.site, IdColumn::Site)?);
        let stamp = trim(&record[columns.timestamp]);
        if stamp.is_empty() {
            return Err(RejectReason::Empty("timestamp"));
        }
        let text = core::str::from_utf8(stamp).map_err(|_| RejectReason::InvalidUtf8)?;
        parse_timestamp(text, offsets).map_err(RejectReason::Timestamp)?;
        out.push(stamp.to_vec());
        let direction = parse_direction(&record[columns.direction])?;
        out.push(direction.to_string().into_bytes());
        if let Some(card) = columns.card {
            // The card is optional: an empty card stays empty.
            if trim(&record[card]).is_empty() {
                out.push(Vec::new());
            } else {
                out.push(pseudonym(card, IdColumn::Card)?);
            }
        }
        for &i in &self.kept {
            out.push(record[i].to_vec());
        }
        Ok(())
    }
}
