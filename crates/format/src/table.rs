//! The other files of the toolkit — card registers, certificates, site
//! requirements — read the way event files are: a header naming the columns
//! in any order and case, fields trimmed, physical line numbers, and each bad
//! row rejected with its line and reason while the rest is read.

use std::io::Read;

use csv::ByteRecord;

use crate::error::{Error, Result};
use crate::header::trim;
use crate::lines::LineCounter;
use crate::reject::{Reject, RejectReason};

/// A CSV file with named columns.
///
/// ```
/// use loggningsindex_format::{RejectReason, Table};
///
/// let csv = "Holder,card\np1,AB-1\n\np2\n";
/// let mut table = Table::open(csv.as_bytes(), &["card", "holder"], &["note"])?;
/// let mut rows = Vec::new();
/// let rejects = table.for_each(|f| {
///     rows.push(format!("{} {} [{}]", f[0], f[1], f[2]));
///     Ok(())
/// })?;
/// assert_eq!(rows, ["AB-1 p1 []"]);
/// assert_eq!(rejects[0].line, 4); // the empty line counts
/// # Ok::<(), loggningsindex_format::Error>(())
/// ```
#[derive(Debug)]
pub struct Table<R: Read> {
    reader: csv::Reader<LineCounter<R>>,
    /// Where each asked-for column is (required first, then optional).
    at: Vec<Option<usize>>,
    width: usize,
}

impl<R: Read> Table<R> {
    /// Reads the header and finds the `required` and `optional` columns
    /// (names compared without case, after trimming and a byte-order mark).
    ///
    /// # Errors
    ///
    /// [`Error::NoHeader`] for an empty input, [`Error::MissingColumns`]
    /// naming every required column not found, [`Error::Io`].
    pub fn open(input: R, required: &[&str], optional: &[&str]) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineCounter::new(input, 1));
        let mut header = ByteRecord::new();
        if !reader.read_byte_record(&mut header)? {
            return Err(Error::NoHeader);
        }
        let names: Vec<String> = header
            .iter()
            .map(|f| {
                String::from_utf8_lossy(trim(f))
                    .trim_start_matches('\u{feff}')
                    .to_ascii_lowercase()
            })
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let missing: Vec<String> = required
            .iter()
            .filter(|c| find(c).is_none())
            .map(|c| (*c).to_string())
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingColumns { missing });
        }
        Ok(Table {
            reader,
            at: required.iter().chain(optional).map(|c| find(c)).collect(),
            width: names.len(),
        })
    }

    /// Hands each record's fields — in the order the columns were asked for,
    /// trimmed, empty for an absent optional column — to `row`, and returns
    /// the rows that could not be read or that `row` refused, by line.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the input cannot be read.
    pub fn for_each(
        &mut self,
        mut row: impl FnMut(&[String]) -> core::result::Result<(), RejectReason>,
    ) -> Result<Vec<Reject>> {
        let mut rejects = Vec::new();
        let mut record = ByteRecord::new();
        loop {
            let read = self.reader.read_byte_record(&mut record);
            let (line, result) = match read {
                Ok(false) => break,
                Ok(true) => {
                    let byte = record.position().map_or(0, |p| p.byte());
                    let line = self.reader.get_mut().line_of(byte);
                    (line, self.fields(&record).and_then(|f| row(&f)))
                }
                Err(err) => {
                    let byte = err.position().map_or(0, |p| p.byte());
                    if let csv::ErrorKind::Io(e) = err.into_kind() {
                        return Err(e.into());
                    }
                    (self.reader.get_mut().line_of(byte), Err(RejectReason::Csv))
                }
            };
            if let Err(reason) = result {
                rejects.push(Reject { line, reason });
            }
        }
        Ok(rejects)
    }

    fn fields(&self, record: &ByteRecord) -> core::result::Result<Vec<String>, RejectReason> {
        if record.len() != self.width {
            return Err(RejectReason::FieldCount {
                expected: self.width as u32,
                found: record.len() as u32,
            });
        }
        self.at
            .iter()
            .map(|i| match i.and_then(|i| record.get(i)) {
                Some(f) => core::str::from_utf8(trim(f))
                    .map(str::to_string)
                    .map_err(|_| RejectReason::InvalidUtf8),
                None => Ok(String::new()),
            })
            .collect()
    }
}
