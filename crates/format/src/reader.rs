//! One row of the event format, and the sequential reader.

use std::io::Read;

use csv::ByteRecord;
use loggningsindex_core::{Direction, Origin, Timestamp};
use loggningsindex_zone::{Offsets, Zone};

use crate::error::{Error, Result};
use crate::field::{parse_direction, parse_id};
use crate::header::{Columns, trim};
use crate::lines::LineCounter;
use crate::reject::{Reject, RejectReason};
use crate::timestamp::parse_timestamp;

/// One readable event row, borrowing its identifiers from the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventRow<'a> {
    /// The 1-based physical line where the record starts (the header is line 1).
    pub line: u64,
    /// `person`, trimmed.
    pub person: &'a str,
    /// `company`, trimmed.
    pub company: &'a str,
    /// `site`, trimmed.
    pub site: &'a str,
    /// The timestamp as written, trimmed (ASCII, since it was read).
    pub timestamp: &'a [u8],
    /// The instant, with the site zone's offset at it.
    pub at: Timestamp,
    /// `IN` or `OUT`.
    pub direction: Direction,
    /// `card`, trimmed; `None` without the column or when it is empty.
    pub card: Option<&'a str>,
    /// `origin`; [`Origin::Unknown`] without the column or when it is empty.
    pub origin: Origin,
}

/// The fields of one row, however they were stored: a CSV record's bytes, or
/// the values of a columnar file (Parquet, Arrow), whose timestamp may
/// already be an instant.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a> {
    /// `person`, as stored.
    pub person: &'a [u8],
    /// `company`, as stored.
    pub company: &'a [u8],
    /// `site`, as stored.
    pub site: &'a [u8],
    /// The timestamp.
    pub timestamp: Stamp<'a>,
    /// `direction`, as stored.
    pub direction: &'a [u8],
    /// `card`, when the input has the column.
    pub card: Option<&'a [u8]>,
    /// `origin`, when the input has the column.
    pub origin: Option<&'a [u8]>,
}

/// A timestamp as stored.
#[derive(Clone, Copy, Debug)]
pub enum Stamp<'a> {
    /// Text in one of the event format's forms.
    Text(&'a [u8]),
    /// An instant (nanoseconds since the Unix epoch) from a typed column
    /// with a time zone.
    Instant(i64),
    /// A wall-clock time (nanoseconds since 1970-01-01T00:00 local time)
    /// from a typed column without a time zone: read in the site zone, as
    /// a naive timestamp in a CSV file is.
    Local(i64),
}

/// Reads one record as an event row — the event format's one row rule: the
/// field count, then the fields as [`parse_fields`] reads them.
///
/// # Errors
///
/// The first [`RejectReason`] the row breaks.
pub fn parse_row<'a>(
    record: &'a ByteRecord,
    line: u64,
    columns: &Columns,
    offsets: &mut Offsets,
) -> Result<EventRow<'a>, RejectReason> {
    if record.len() != columns.count {
        return Err(RejectReason::FieldCount {
            expected: columns.count as u32,
            found: record.len() as u32,
        });
    }
    let fields = Fields {
        person: &record[columns.person],
        company: &record[columns.company],
        site: &record[columns.site],
        timestamp: Stamp::Text(&record[columns.timestamp]),
        direction: &record[columns.direction],
        card: columns.card.map(|i| &record[i]),
        origin: columns.origin.map(|i| &record[i]),
    };
    parse_fields(&fields, line, offsets)
}

/// Reads one row's fields as an event row: `person`, `company`, `site` (see
/// [`parse_id`]), the timestamp (see [`parse_timestamp`]; a typed instant
/// takes the site zone's offset at it, a typed wall-clock time is resolved in
/// the site zone), the direction, when present and not empty the card, and
/// when present the origin (`card`, `app`, `manual`, `auto`, or empty;
/// case-insensitive). A row from a typed timestamp has an empty
/// [`EventRow::timestamp`].
///
/// # Errors
///
/// The first [`RejectReason`] the row breaks.
pub fn parse_fields<'a>(
    fields: &Fields<'a>,
    line: u64,
    offsets: &mut Offsets,
) -> Result<EventRow<'a>, RejectReason> {
    let person = parse_id(fields.person, "person")?;
    let company = parse_id(fields.company, "company")?;
    let site = parse_id(fields.site, "site")?;
    let (timestamp, at) = parse_stamp(fields.timestamp, offsets)?;
    let direction = parse_direction(fields.direction)?;
    let card = match fields.card {
        Some(card) if !trim(card).is_empty() => Some(parse_id(card, "card")?),
        _ => None,
    };
    let origin = match fields.origin {
        Some(origin) => Origin::from_bytes(origin).ok_or(RejectReason::Origin)?,
        None => Origin::Unknown,
    };
    Ok(EventRow {
        line,
        person,
        company,
        site,
        timestamp,
        at,
        direction,
        card,
        origin,
    })
}

/// Reads a timestamp field as [`parse_fields`] does: text trimmed and parsed
/// by [`parse_timestamp`] (returned trimmed, as written), a typed instant
/// with the site zone's offset at it, a typed wall-clock time resolved in
/// the site zone (both returned with empty text).
///
/// # Errors
///
/// An empty or unreadable timestamp, or a wall-clock time outside the zone's range.
pub fn parse_stamp<'a>(
    stamp: Stamp<'a>,
    offsets: &mut Offsets,
) -> Result<(&'a [u8], Timestamp), RejectReason> {
    match stamp {
        Stamp::Text(text) => {
            let stamp = trim(text);
            if stamp.is_empty() {
                return Err(RejectReason::Empty("timestamp"));
            }
            let at = parse_timestamp(stamp, offsets).map_err(RejectReason::Timestamp)?;
            Ok((stamp, at))
        }
        Stamp::Instant(nanos) => Ok((&[][..], Timestamp::new(nanos, offsets.offset_at(nanos)))),
        Stamp::Local(local) => {
            let nanos = offsets
                .resolve_local(local)
                .map_err(|_| RejectReason::Timestamp(crate::TimestampError::Range))?;
            Ok((&[][..], Timestamp::new(nanos, offsets.offset_at(nanos))))
        }
    }
}

/// The first bytes of `input`, through the first line break after anything
/// but line breaks (at most 64 KiB): enough to check the encoding and find the
/// delimiter.
fn read_first_line<R: Read>(input: &mut R) -> Result<Vec<u8>> {
    const LIMIT: usize = 64 * 1024;
    let mut start = Vec::new();
    let mut byte = [0u8; 1];
    while start.len() < LIMIT {
        match input.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => {
                start.push(byte[0]);
                let content = start.iter().any(|b| !matches!(b, b'\n' | b'\r'));
                if byte[0] == b'\n' && content {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(start)
}

/// What [`EventReader::next_row`] found.
#[derive(Debug)]
pub enum Next<'a> {
    /// A readable row.
    Row(EventRow<'a>),
    /// A row that cannot be read, with its line and reason.
    Rejected(Reject),
    /// The end of the input.
    End,
}

/// Reads an event file row by row, in order, on the calling thread: the
/// header (a leading UTF-8 byte-order mark ignored), then each record as a
/// row or a reject. Completely empty lines are not records.
#[derive(Debug)]
pub struct EventReader<R: Read> {
    reader: csv::Reader<LineCounter<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>>,
    header: ByteRecord,
    columns: Columns,
    record: ByteRecord,
    offsets: Offsets,
}

impl<R: Read> EventReader<R> {
    /// Reads the header; the delimiter is detected from it
    /// ([`crate::detect_delimiter`]).
    ///
    /// # Errors
    ///
    /// [`Error::NoHeader`] for an empty input, [`Error::Encoding`] for input
    /// that is not UTF-8, [`Error::MissingColumns`] or
    /// [`Error::DuplicateColumn`] for a bad header, [`Error::Io`].
    pub fn new(input: R, zone: &Zone) -> Result<Self> {
        Self::with_delimiter(input, zone, None)
    }

    /// As [`EventReader::new`], with the delimiter given (`None`: detected).
    ///
    /// # Errors
    ///
    /// As [`EventReader::new`].
    pub fn with_delimiter(mut input: R, zone: &Zone, delimiter: Option<u8>) -> Result<Self> {
        let start = read_first_line(&mut input)?;
        crate::header::check_encoding(&start)?;
        let delimiter = delimiter.unwrap_or_else(|| crate::header::detect_delimiter(&start));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(LineCounter::new(
                std::io::Cursor::new(start).chain(input),
                1,
            ));
        let mut header = ByteRecord::new();
        if !reader.read_byte_record(&mut header)? {
            return Err(Error::NoHeader);
        }
        if let Some(first) = header.get(0).and_then(|f| f.strip_prefix(b"\xEF\xBB\xBF")) {
            let mut fixed = ByteRecord::from(vec![first]);
            fixed.extend(header.iter().skip(1));
            header = fixed;
        }
        let mut columns = Columns::from_header(&header)?;
        columns.delimiter = delimiter;
        Ok(EventReader {
            reader,
            header,
            columns,
            record: ByteRecord::new(),
            offsets: zone.offsets(),
        })
    }

    /// Where the columns are.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// The header record (without a byte-order mark).
    pub fn header(&self) -> &ByteRecord {
        &self.header
    }

    /// The record read last, raw, for columns the event format does not know.
    pub fn record(&self) -> &ByteRecord {
        &self.record
    }

    /// Reads the next record.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the input cannot be read; a record the CSV reader
    /// cannot tokenise is a reject ([`RejectReason::Csv`]), not an error.
    pub fn next_row(&mut self) -> Result<Next<'_>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(Next::End),
            Ok(true) => {
                let byte = self.record.position().map_or(0, |p| p.byte());
                let line = self.reader.get_mut().line_of(byte);
                Ok(
                    match parse_row(&self.record, line, &self.columns, &mut self.offsets) {
                        Ok(row) => Next::Row(row),
                        Err(reason) => Next::Rejected(Reject { line, reason }),
                    },
                )
            }
            Err(err) => {
                let byte = err.position().map_or(0, |p| p.byte());
                let line = self.reader.get_mut().line_of(byte);
                match err.into_kind() {
                    csv::ErrorKind::Io(io) => Err(io.into()),
                    _ => Ok(Next::Rejected(Reject {
                        line,
                        reason: RejectReason::Csv,
                    })),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the bulk engine's reference-reader property: the `csv` crate
    /// does not count the empty lines it skips, so a row after an empty line
    /// was reported one line too early.
    #[test]
    fn empty_lines_keep_physical_line_numbers() {
        let csv = "person,company,site,timestamp,direction\n\n\r\n p , c ,s,x,IN\n\nq\n";
        let mut reader = EventReader::new(csv.as_bytes(), &Zone::stockholm()).unwrap();
        let mut lines = Vec::new();
        loop {
            match reader.next_row().unwrap() {
                Next::End => break,
                Next::Rejected(r) => lines.push((r.line, r.reason.to_string())),
                Next::Row(row) => lines.push((row.line, String::new())),
            }
        }
        assert_eq!(
            lines,
            [
                (4, "bad timestamp: not YYYY-MM-DDTHH:MM:SS".to_string()),
                (6, "wrong field count: expected 5, found 1".to_string()),
            ]
        );
    }
}
