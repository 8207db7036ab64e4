//! Parsing a chunk of event CSV into rows and rejects, on a worker.

use std::ops::Range;

use csv::ByteRecord;
use loggningsindex_core::{Direction, Timestamp};
use loggningsindex_format::{Columns, Reject, RejectReason, parse_fields, parse_row};
use loggningsindex_zone::Offsets;

use crate::chunk::ChunkInput;
use crate::split::{Splitter, crlf_only};

/// One parsed event row; its identifiers are in the chunk's arena, back to back.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) line: u64,
    /// Person, company and site bytes, back to back.
    pub(crate) ids: Range<usize>,
    /// Their lengths.
    pub(crate) lens: [u32; 3],
    pub(crate) at: Timestamp,
    pub(crate) direction: Direction,
    /// Whether the registration was written by a system (origin `auto`).
    pub(crate) auto: bool,
    /// [`crate::intern::key_hash`] of the identifiers.
    pub(crate) key_hash: u64,
}

impl Row {
    /// The row's identifiers as the interner takes them.
    pub(crate) fn key<'a>(&self, arena: &'a [u8]) -> crate::intern::RawKey<'a> {
        crate::intern::RawKey {
            hash: self.key_hash,
            bytes: &arena[self.ids.clone()],
            lens: self.lens,
        }
    }
}

/// A chunk after parsing: its rows in input order, and its rejects.
#[derive(Debug, Default)]
pub(crate) struct ParsedChunk {
    pub(crate) rows: Vec<Row>,
    pub(crate) arena: Vec<u8>,
    pub(crate) rejects: Vec<Reject>,
    /// Input bytes the chunk covered (for progress).
    pub(crate) bytes: u64,
}

/// Parses records into rows; one per worker (it holds an offset cache).
#[derive(Clone, Debug)]
pub(crate) struct RowParser {
    pub(crate) columns: Columns,
    pub(crate) offsets: Offsets,
    /// The longest line kept (see `Options::max_line_bytes`).
    pub(crate) max_line: usize,
    /// How a quote-free chunk's lines are split into fields.
    splitter: Splitter,
}

impl RowParser {
    pub(crate) fn new(columns: Columns, offsets: Offsets, max_line: usize) -> Self {
        RowParser {
            splitter: Splitter::new(&columns),
            columns,
            offsets,
            max_line,
        }
    }

    pub(crate) fn parse_chunk(&mut self, input: ChunkInput) -> ParsedChunk {
        let mut out = ParsedChunk::default();
        match input {
            ChunkInput::Bytes { bytes, first_line } => {
                out.bytes = bytes.len() as u64;
                if crlf_only(&bytes) {
                    self.parse_lines(&bytes, first_line, &mut out);
                } else {
                    self.parse_with_csv(&bytes, first_line, &mut out);
                }
            }
            ChunkInput::Records(records) => {
                for (line, record) in &records {
                    out.bytes += record.as_slice().len() as u64 + record.len() as u64;
                    self.parse_record(record, *line, &mut out);
                }
            }
        }
        out
    }

    /// Parses a chunk without quotes whose records are its lines (see
    /// [`crate::split`]): the fields are read where they lie, never copied.
    fn parse_lines(&mut self, bytes: &[u8], first_line: u64, out: &mut ParsedChunk) {
        let offsets = &mut self.offsets;
        self.splitter
            .records(bytes, first_line, self.max_line, |line, fields| {
                let row = fields.and_then(|fields| parse_fields(&fields, line, offsets));
                match row {
                    Ok(row) => out.rows.push(stored_row(&row, &mut out.arena)),
                    Err(reason) => out.rejects.push(Reject { line, reason }),
                }
            });
    }

    /// Parses a chunk without quotes with the `csv` crate: the reading for a
    /// carriage return that does not end a line (it ends a record).
    fn parse_with_csv(&mut self, bytes: &[u8], first_line: u64, out: &mut ParsedChunk) {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.columns.delimiter)
            .from_reader(bytes);
        let mut lines = Lines::new(bytes, first_line);
        let mut record = ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    // A chunk holds no quote: a record is one line, its
                    // fields and delimiters.
                    let length = record.as_slice().len() + record.len().saturating_sub(1);
                    let line = lines.record(record.position().map_or(0, |p| p.byte()), length);
                    if length > self.max_line {
                        out.rejects.push(Reject {
                            line,
                            reason: RejectReason::LineTooLong,
                        });
                        continue;
                    }
                    self.parse_record(&record, line, out);
                }
                Err(err) => {
                    let line = lines.record(err.position().map_or(0, |p| p.byte()), 0);
                    out.rejects.push(Reject {
                        line,
                        reason: RejectReason::Csv,
                    });
                }
            }
        }
    }

    fn parse_record(&mut self, record: &ByteRecord, line: u64, out: &mut ParsedChunk) {
        match self.row(record, line, &mut out.arena) {
            Ok(row) => out.rows.push(row),
            Err(reason) => out.rejects.push(Reject { line, reason }),
        }
    }

    fn row(
        &mut self,
        record: &ByteRecord,
        line: u64,
        arena: &mut Vec<u8>,
    ) -> Result<Row, RejectReason> {
        let row = parse_row(record, line, &self.columns, &mut self.offsets)?;
        Ok(stored_row(&row, arena))
    }
}

/// A parsed row as the pipeline keeps it: its identifiers copied into the
/// chunk's arena, their key hashed.
pub(crate) fn stored_row(row: &loggningsindex_format::EventRow<'_>, arena: &mut Vec<u8>) -> Row {
    let start = arena.len();
    for id in [row.person, row.company, row.site] {
        arena.extend_from_slice(id.as_bytes());
    }
    let lens = [
        row.person.len() as u32,
        row.company.len() as u32,
        row.site.len() as u32,
    ];
    let ids = start..arena.len();
    Row {
        line: row.line,
        key_hash: crate::intern::key_hash(&arena[ids.clone()], lens),
        ids,
        lens,
        at: row.at,
        direction: row.direction,
        auto: !row.origin.takes_part(),
    }
}

/// Physical line numbers in a chunk held whole (as [`LineCounter`] does for
/// a stream, without copying). The `csv` crate reports a record where the
/// empty lines it skipped begin; in a chunk without quotes a record is one
/// line, so only the few bytes between one record's content and the next
/// need looking at.
struct Lines<'a> {
    bytes: &'a [u8],
    /// The end of the last record's content.
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8], first_line: u64) -> Self {
        Lines {
            bytes,
            at: 0,
            line: first_line,
        }
    }

    /// The line of a record reported at `offset` whose content is `length`
    /// bytes; records must come in order.
    fn record(&mut self, offset: u64, length: usize) -> u64 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        let mut i = self.at;
        while i < self.bytes.len() && (i < offset || matches!(self.bytes[i], b'\n' | b'\r')) {
            self.line += u64::from(self.bytes[i] == b'\n');
            i += 1;
        }
        self.at = (i + length).min(self.bytes.len());
        self.line
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What a parsed chunk holds, comparable.
    type Seen = (Vec<(u64, Vec<u8>, [u32; 3], i64, bool, bool)>, Vec<Reject>);

    fn seen(out: &ParsedChunk) -> Seen {
        let rows = out
            .rows
            .iter()
            .map(|r| {
                let out_direction = r.direction == loggningsindex_core::Direction::Out;
                let ids = out.arena[r.ids.clone()].to_vec();
                (
                    r.line,
                    ids,
                    r.lens,
                    r.at.unix_nanos(),
                    out_direction,
                    r.auto,
                )
            })
            .collect();
        (rows, out.rejects.clone())
    }

    fn parser(header: &str, max_line: usize) -> RowParser {
        let header = ByteRecord::from(header.split(',').collect::<Vec<_>>());
        let columns = Columns::from_header(&header).unwrap();
        RowParser::new(
            columns,
            loggningsindex_zone::Zone::stockholm().offsets(),
            max_line,
        )
    }

    /// One line of a quote-free chunk: rows good and bad, empty and blank
    /// lines, too long ones.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (0u8..9, 0u8..3, 0u8..60, any::<bool>(), prop_oneof![Just(""), Just("auto"), Just(" Card ")])
                .prop_map(|(p, c, m, out, origin)| {
                    let way = if out { "UT" } else { " IN" };
                    format!(" p{p},c{c} ,s1,2026-03-29T01:{m:02}:00,{way},{origin}")
                }),
            1 => Just(String::new()),
            1 => Just("  ".to_string()),
            1 => Just("a,b".to_string()),
            1 => Just("p,c,s,2026-03-02T07:00:00+01:00,IN,card,".to_string()),
            1 => Just("p,c,s,yesterday,IN,card".to_string()),
            1 => Just(format!("p,c,s,2026-03-02T07:00:00+01:00,IN,{}", "x".repeat(80))),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Splitting lines by hand reads every quote-free chunk as the `csv`
        /// crate does: the same rows, rejects and line numbers.
        #[test]
        fn lines_split_by_hand_read_as_the_csv_crate_reads_them(
            lines in proptest::collection::vec((line(), any::<bool>()), 0..40),
            last_break in any::<bool>(),
            first_line in 1u64..1000,
        ) {
            let mut chunk = String::new();
            for (i, (line, crlf)) in lines.iter().enumerate() {
                chunk.push_str(line);
                if i + 1 < lines.len() || last_break {
                    chunk.push_str(if *crlf { "\r\n" } else { "\n" });
                }
            }
            let bytes = chunk.as_bytes();
            prop_assert!(crlf_only(bytes));
            let mut by_hand = ParsedChunk::default();
            let mut by_csv = ParsedChunk::default();
            let mut p = parser("person,company,site,timestamp,direction,origin", 64);
            p.parse_lines(bytes, first_line, &mut by_hand);
            p.parse_with_csv(bytes, first_line, &mut by_csv);
            prop_assert_eq!(seen(&by_hand), seen(&by_csv));
        }
    }

    #[test]
    fn a_carriage_return_inside_a_line_goes_to_the_csv_crate() {
        assert!(crlf_only(b"a\r\nb\n\r\n"));
        assert!(!crlf_only(b"a\rb\n"));
        assert!(!crlf_only(b"a\r"));
        let mut p = parser("person,company,site,timestamp,direction", 1000);
        let chunk = b"p,c,s,2026-03-02T07:00:00+01:00,IN\rp,c,s,2026-03-02T16:00:00+01:00,OUT\n";
        let out = p.parse_chunk(ChunkInput::Bytes {
            bytes: chunk.to_vec(),
            first_line: 7,
        });
        // Two records, as the csv crate reads a lone carriage return.
        assert_eq!(out.rows.len(), 2);
        assert!(out.rejects.is_empty());
        assert_eq!(out.rows[1].line, 7);
    }
}
