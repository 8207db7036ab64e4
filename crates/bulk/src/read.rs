//! Reading the event CSV: splitting the input into chunks that workers parse
//! in parallel, and parsing one record into a row or a reject.

use std::io::{self, Cursor, Read};
use std::ops::Range;

use csv::ByteRecord;
use loggningsindex_core::{Direction, Timestamp};
use loggningsindex_zone::Offsets;

use loggningsindex_format::{Columns, LineCounter, Reject, RejectReason, parse_fields, parse_row};

use crate::split::{Splitter, crlf_only};

use crate::limit::LineLimiter;

use crate::error::Result;

/// Bytes read per chunk by default (1 MiB: small enough that a wave holds
/// several per thread); a chunk ends at the last line break in it.
pub(crate) const CHUNK_BYTES: usize = 1 << 20;
/// Records per chunk once the input is read record by record.
const CHUNK_RECORDS: usize = 32 * 1024;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Work for one parser: raw bytes that hold whole records, or records already
/// split by a sequential CSV reader.
pub(crate) enum ChunkInput {
    /// Whole lines of CSV without any quote character; `first_line` is the
    /// line number of the first byte.
    Bytes { bytes: Vec<u8>, first_line: u64 },
    /// Records with their line numbers.
    Records(Vec<(u64, ByteRecord)>),
}

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

/// Splits the input into chunks for parallel parsing.
///
/// While the input holds no quote character, a chunk is a run of whole lines
/// and is tokenised by its worker. From the first block that holds a quote on,
/// a quoted field may span lines, so the rest is tokenised by one sequential
/// CSV reader and handed out as batches of records — slower, always right.
pub(crate) struct Chunker<R: Read> {
    state: State<R>,
    /// The longest physical line kept; longer ones are dropped and rejected.
    max_line: usize,
    /// Lines dropped for their length, not yet taken.
    dropped: Vec<u64>,
    /// Bytes read per chunk.
    chunk_bytes: usize,
    /// The field delimiter.
    delimiter: u8,
    /// Line number of the next unread byte.
    next_line: u64,
}

/// The sequential reader of the rest of an input that holds quotes: lines
/// limited, then counted, then tokenised.
type RecordReader<R> = csv::Reader<LineCounter<LineLimiter<io::Chain<Cursor<Vec<u8>>, R>>>>;

enum State<R: Read> {
    Lines { input: R, carry: Vec<u8>, eof: bool },
    Records(Box<RecordReader<R>>),
    Done,
}

/// Reads into `buf` until it holds `want` more bytes or the input ends;
/// says whether it ended. (`read_to_end` on a `take` reads into the spare
/// capacity without zeroing it first.)
fn fill<R: Read>(input: &mut R, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    buf.reserve(want);
    let read = input.by_ref().take(want as u64).read_to_end(buf)?;
    Ok(read < want)
}

impl<R: Read> Chunker<R> {
    /// Reads the header and returns the column layout and a chunker positioned
    /// after it.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] for an empty input, a bad header, input that is not
    /// UTF-8, or an I/O error.
    pub(crate) fn start(
        mut input: R,
        chunk_bytes: usize,
        delimiter: Option<u8>,
        max_line: usize,
    ) -> Result<(Columns, Chunker<R>)> {
        let chunk_bytes = chunk_bytes.max(1);
        let mut buf = Vec::new();
        let mut eof = fill(&mut input, &mut buf, chunk_bytes.max(64 * 1024))?;
        let bom = if buf.starts_with(BOM) { BOM.len() } else { 0 };
        // Empty lines before the header are not records.
        let mut skip;
        // The header ends at a line break outside quotes; read on until one is seen.
        let mut end = None;
        loop {
            skip = bom
                + buf[bom..]
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
            end = end.or_else(|| header_end(&buf[skip..]).map(|e| e + skip));
            if end.is_some() || eof {
                break;
            }
            if buf.len() - skip > max_line {
                return Err(loggningsindex_format::Error::HeaderTooLong { max: max_line }.into());
            }
            eof = fill(&mut input, &mut buf, chunk_bytes)?;
        }
        let end = end.unwrap_or(buf.len());
        if end - skip > max_line {
            return Err(loggningsindex_format::Error::HeaderTooLong { max: max_line }.into());
        }
        loggningsindex_format::check_encoding(&buf[skip..])?;
        let delimiter =
            delimiter.unwrap_or_else(|| loggningsindex_format::detect_delimiter(&buf[skip..end]));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(&buf[skip..end]);
        let mut header = ByteRecord::new();
        let has_header =
            reader
                .read_byte_record(&mut header)
                .map_err(|e| loggningsindex_format::Error::Io {
                    kind: io::ErrorKind::InvalidData,
                    message: e.to_string(),
                })?;
        if !has_header {
            return Err(loggningsindex_format::Error::NoHeader.into());
        }
        let mut columns = Columns::from_header(&header)?;
        columns.delimiter = delimiter;
        // The card plays no part in the index: the engines do not read it
        // (the readers that use it — pseudonymize, cards check, the ledger —
        // check it).
        columns.card = None;
        let next_line = 1 + memchr::memchr_iter(b'\n', &buf[..end]).count() as u64;
        let carry = buf.split_off(end);
        Ok((
            columns,
            Chunker {
                state: State::Lines { input, carry, eof },
                max_line: max_line.max(1),
                dropped: Vec::new(),
                chunk_bytes,
                delimiter,
                next_line,
            },
        ))
    }

    /// The next chunk, or `None` at the end of the input.
    pub(crate) fn next_chunk(&mut self) -> io::Result<Option<ChunkInput>> {
        match &mut self.state {
            State::Done => Ok(None),
            State::Lines { input, carry, eof } => {
                if !*eof && carry.len() < self.chunk_bytes {
                    *eof = fill(input, carry, self.chunk_bytes)?;
                }
                // Read on until a line break (a record may be longer than a
                // chunk), but never hold a line longer than the limit.
                let mut cut = memchr::memrchr(b'\n', carry).map(|i| i + 1);
                while cut.is_none() && !*eof && carry.len() <= self.max_line {
                    *eof = fill(input, carry, self.chunk_bytes.min(self.max_line + 1))?;
                    cut = memchr::memrchr(b'\n', carry).map(|i| i + 1);
                }
                if cut.is_none() && carry.len() > self.max_line {
                    // `carry` starts the line `next_line` and holds no break.
                    self.dropped.push(self.next_line);
                    carry.clear();
                    *eof = skip_line(input, carry)?;
                    if !carry.is_empty() || !*eof {
                        self.next_line += 1;
                    }
                    return self.next_chunk();
                }
                let cut = if *eof {
                    carry.len()
                } else {
                    cut.unwrap_or(carry.len())
                };
                if cut == 0 {
                    self.state = State::Done;
                    return Ok(None);
                }
                if memchr::memchr(b'"', &carry[..cut]).is_some() {
                    self.switch_to_records();
                    return self.next_chunk();
                }
                let rest = carry.split_off(cut);
                let bytes = std::mem::replace(carry, rest);
                let first_line = self.next_line;
                self.next_line += memchr::memchr_iter(b'\n', &bytes).count() as u64;
                Ok(Some(ChunkInput::Bytes { bytes, first_line }))
            }
            State::Records(reader) => {
                let mut records = Vec::with_capacity(CHUNK_RECORDS);
                let mut record = ByteRecord::new();
                while records.len() < CHUNK_RECORDS {
                    match reader.read_byte_record(&mut record) {
                        Ok(true) => {
                            let byte = record.position().map_or(0, |p| p.byte());
                            let line = reader.get_mut().line_of(byte);
                            records.push((line, std::mem::take(&mut record)));
                        }
                        Ok(false) => break,
                        Err(e) => {
                            if let csv::ErrorKind::Io(io) = e.into_kind() {
                                return Err(io);
                            }
                        }
                    }
                }
                if records.is_empty() {
                    // Keep what the limiter dropped before the reader goes.
                    let dropped = reader.get_mut().get_mut().take_dropped();
                    self.dropped.extend(dropped);
                    self.state = State::Done;
                    return Ok(None);
                }
                Ok(Some(ChunkInput::Records(records)))
            }
        }
    }

    fn switch_to_records(&mut self) {
        let state = std::mem::replace(&mut self.state, State::Done);
        if let State::Lines { input, carry, .. } = state {
            let reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(self.delimiter)
                .from_reader(LineCounter::new(
                    LineLimiter::new(
                        Cursor::new(carry).chain(input),
                        self.max_line,
                        self.next_line,
                    ),
                    self.next_line,
                ));
            self.state = State::Records(Box::new(reader));
        }
    }
}

impl<R: Read> Chunker<R> {
    /// The line numbers of lines dropped for their length since the last call.
    pub(crate) fn take_dropped(&mut self) -> Vec<u64> {
        let mut dropped = std::mem::take(&mut self.dropped);
        if let State::Records(reader) = &mut self.state {
            dropped.extend(reader.get_mut().get_mut().take_dropped());
        }
        dropped
    }
}

/// Reads and discards the rest of a line; what follows its line break is left
/// in `carry`. Says whether the input ended.
fn skip_line<R: Read>(input: &mut R, carry: &mut Vec<u8>) -> io::Result<bool> {
    let mut block = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut block) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(true);
        }
        if let Some(i) = memchr::memchr(b'\n', &block[..n]) {
            carry.extend_from_slice(&block[i + 1..n]);
            return Ok(false);
        }
    }
}

/// The end of the first record (after its line break), if the buffer holds it.
fn header_end(buf: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for i in memchr::memchr2_iter(b'"', b'\n', buf) {
        match buf[i] {
            b'"' => quoted = !quoted,
            _ if !quoted => return Some(i + 1),
            _ => {}
        }
    }
    None
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
