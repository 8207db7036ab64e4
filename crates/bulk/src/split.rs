//! Splitting a chunk that holds no quote character into records and fields,
//! without a CSV state machine: a record is then one line, and a field what
//! lies between two delimiters. This is the reading of nearly every real
//! file; a chunk with a carriage return that does not end a line goes to the
//! `csv` crate instead (it ends a record there), so both readings agree on
//! every input (a property test holds them to it).

use std::iter::once;

use loggningsindex_format::{Columns, Fields, RejectReason, Stamp};

/// Whether every carriage return in `bytes` ends a line (`\r\n`): then the
/// chunk's records are its non-empty lines.
pub(crate) fn crlf_only(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).all(|i| bytes.get(i + 1) == Some(&b'\n'))
}

/// Which of the fields the engines read each column is (`NONE` for others).
#[derive(Clone, Debug)]
pub(crate) struct Splitter {
    roles: Vec<u8>,
    count: usize,
    delimiter: u8,
    card: bool,
    origin: bool,
}

const NONE: u8 = u8::MAX;
const PERSON: usize = 0;
const COMPANY: usize = 1;
const SITE: usize = 2;
const TIMESTAMP: usize = 3;
const DIRECTION: usize = 4;
const CARD: usize = 5;
const ORIGIN: usize = 6;

impl Splitter {
    pub(crate) fn new(columns: &Columns) -> Self {
        let mut roles = vec![NONE; columns.count];
        let mut set = |column: Option<usize>, role: usize| {
            if let Some(slot) = column.and_then(|c| roles.get_mut(c)) {
                *slot = role as u8;
            }
        };
        set(Some(columns.person), PERSON);
        set(Some(columns.company), COMPANY);
        set(Some(columns.site), SITE);
        set(Some(columns.timestamp), TIMESTAMP);
        set(Some(columns.direction), DIRECTION);
        set(columns.card, CARD);
        set(columns.origin, ORIGIN);
        Splitter {
            roles,
            count: columns.count,
            delimiter: columns.delimiter,
            card: columns.card.is_some(),
            origin: columns.origin.is_some(),
        }
    }

    /// Calls `each` with the physical line number and the fields (or why
    /// not) of every record of `bytes`, a chunk without quotes in which every
    /// carriage return ends a line ([`crlf_only`]); `first_line` is the line
    /// of its first byte. Empty lines are no records; a line longer than
    /// `max_line` is rejected without being split.
    pub(crate) fn records<'a>(
        &self,
        bytes: &'a [u8],
        first_line: u64,
        max_line: usize,
        mut each: impl FnMut(u64, Result<Fields<'a>, RejectReason>),
    ) {
        let ends = memchr::memchr_iter(b'\n', bytes).chain(once(bytes.len()));
        let mut start = 0;
        for (line, end) in (first_line..).zip(ends) {
            if start > bytes.len() {
                break;
            }
            let mut content = &bytes[start..end];
            if let [rest @ .., b'\r'] = content {
                content = rest;
            }
            start = end + 1;
            if content.is_empty() {
                continue;
            }
            if content.len() > max_line {
                each(line, Err(RejectReason::LineTooLong));
                continue;
            }
            each(line, self.fields(content));
        }
    }

    /// The fields of one record.
    fn fields<'a>(&self, record: &'a [u8]) -> Result<Fields<'a>, RejectReason> {
        let mut found: [&[u8]; 7] = [&[]; 7];
        let mut field = 0;
        let mut start = 0;
        for end in memchr::memchr_iter(self.delimiter, record).chain(once(record.len())) {
            if let Some(&role) = self.roles.get(field)
                && role != NONE
            {
                found[role as usize] = &record[start..end];
            }
            field += 1;
            start = end + 1;
        }
        if field != self.count {
            return Err(RejectReason::FieldCount {
                expected: self.count as u32,
                found: field as u32,
            });
        }
        Ok(Fields {
            person: found[PERSON],
            company: found[COMPANY],
            site: found[SITE],
            timestamp: Stamp::Text(found[TIMESTAMP]),
            direction: found[DIRECTION],
            card: self.card.then_some(found[CARD]),
            origin: self.origin.then_some(found[ORIGIN]),
        })
    }
}
