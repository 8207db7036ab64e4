//! Splitting the input into chunks that workers parse in parallel: runs of
//! whole lines while the input holds no quote character, then batches of
//! records from one sequential CSV reader.

use std::io::{self, Cursor, Read};

use csv::ByteRecord;
use loggningsindex_format::{Columns, LineCounter};

use crate::error::Result;
use crate::limit::LineLimiter;

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
