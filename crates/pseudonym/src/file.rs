//! Pseudonymising an event file: same columns, identifiers replaced.

use std::io::{Read, Write};

use loggningsindex_bulk::{Columns, IdColumn, Reject, RejectReason, trim};

use crate::{Domain, Pseudonymizer, reject_reason};

/// What [`pseudonymize_csv`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStats {
    /// Data rows read.
    pub read: u64,
    /// Rows written, identifiers replaced.
    pub written: u64,
    /// Rows not written: wrong field count or an invalid identity number.
    pub rejects: Vec<Reject>,
}

/// Errors of [`pseudonymize_csv`] as a whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// The header is missing or lacks columns.
    #[error(transparent)]
    Header(#[from] loggningsindex_bulk::Error),
    /// Reading or writing CSV failed.
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// Writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Copies event CSV from `input` to `output` with `person`, `company`, `site`
/// and `card` replaced by pseudonyms; every other column as it was. A row with
/// the wrong number of fields or an invalid identity number is not written: it
/// is counted and listed (line and reason, never the number). Empty identifiers
/// stay empty (the computation rejects them with its own reason).
///
/// # Errors
///
/// A missing header or required column, or an I/O error.
pub fn pseudonymize_csv<R: Read, W: Write>(
    input: R,
    output: W,
    pseudonymizer: &mut Pseudonymizer,
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
    writer.write_byte_record(&header)?;
    let id_columns = [
        (Some(columns.person), IdColumn::Person),
        (Some(columns.company), IdColumn::Company),
        (Some(columns.site), IdColumn::Site),
        (columns.card, IdColumn::Card),
    ];
    let mut stats = FileStats::default();
    let mut out: Vec<Vec<u8>> = Vec::new();
    while reader.read_byte_record(&mut record)? {
        stats.read += 1;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != columns.count {
            stats.rejects.push(Reject {
                line,
                reason: RejectReason::FieldCount {
                    expected: columns.count as u32,
                    found: record.len() as u32,
                },
            });
            continue;
        }
        out.clear();
        out.extend(record.iter().map(<[u8]>::to_vec));
        let mut rejected = None;
        for (index, column) in id_columns {
            let Some(i) = index else { continue };
            let raw = trim(&record[i]);
            if raw.is_empty() {
                continue;
            }
            let Ok(raw) = core::str::from_utf8(raw) else {
                rejected = Some(RejectReason::InvalidUtf8);
                break;
            };
            match pseudonymizer.pseudonym_memo(Domain::from(column), raw) {
                Ok(pseudonym) => out[i] = pseudonym.into_bytes(),
                Err(e) => {
                    rejected = Some(reject_reason(column, e));
                    break;
                }
            }
        }
        match rejected {
            Some(reason) => stats.rejects.push(Reject { line, reason }),
            None => {
                writer.write_record(&out)?;
                stats.written += 1;
            }
        }
    }
    writer.flush()?;
    Ok(stats)
}
