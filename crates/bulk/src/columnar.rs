//! Parquet and Arrow IPC input (feature `arrow`): the event format's columns
//! read from a columnar file, each row through the same row rule as a CSV
//! row ([`loggningsindex_format::parse_fields`]), then computed as CSV is.
//!
//! - Columns are found by name, case-insensitively, as in a CSV header:
//!   `person`, `company`, `site`, `timestamp`, `direction`, optional `card`
//!   and `origin`. Other columns are not read.
//! - Text columns may be `Utf8`, `LargeUtf8`, `Utf8View` or dictionaries of
//!   those; a null reads as an empty field (and is rejected as one).
//! - `timestamp` may be text in the event format's forms, or a timestamp
//!   type of any unit: with a time zone it is that instant; without one it is
//!   a wall-clock time in the site zone, as a naive CSV timestamp is.
//! - Rejects name the **row number**: the first row of the file is row 1.
//! - The kind of file is recognised from its first bytes ([`Kind::of`]).

use std::fs::File;
use std::io::Read;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Schema, TimeUnit};
use loggningsindex_format::{Fields, Reject, RejectReason, Stamp, TimestampError, parse_fields};
use loggningsindex_zone::Offsets;

use crate::pipeline::{Source, run_source};
use crate::read::{ParsedChunk, stored_row};
use crate::{Computation, Error, IdMapper, Options, Progress, Result};

/// The kinds of event file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Event CSV (anything that is not one of the others).
    Csv,
    /// Apache Parquet (starts with `PAR1`).
    Parquet,
    /// An Arrow IPC file (starts with `ARROW1`).
    ArrowFile,
    /// An Arrow IPC stream (starts with a continuation marker `FF FF FF FF`).
    ArrowStream,
}

impl Kind {
    /// The kind of a file from its first bytes (8 are enough).
    ///
    /// ```
    /// use loggningsindex_bulk::columnar::Kind;
    ///
    /// assert_eq!(Kind::of(b"PAR1\x15\x04"), Kind::Parquet);
    /// assert_eq!(Kind::of(b"ARROW1\0\0"), Kind::ArrowFile);
    /// assert_eq!(Kind::of(b"person,company"), Kind::Csv);
    /// ```
    pub fn of(first: &[u8]) -> Kind {
        if first.starts_with(b"PAR1") {
            Kind::Parquet
        } else if first.starts_with(b"ARROW1") {
            Kind::ArrowFile
        } else if first.starts_with(&[0xFF, 0xFF, 0xFF, 0xFF]) {
            Kind::ArrowStream
        } else {
            Kind::Csv
        }
    }
}

/// A columnar file: open (Parquet and Arrow files need to seek), or its
/// bytes (read from standard input, say).
#[derive(Debug)]
pub enum Columnar {
    /// A file on disk.
    File(File),
    /// The whole file in memory.
    Bytes(Vec<u8>),
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Columnar {
        message: format!("{what}: {e}"),
    }
}

type Batches =
    Box<dyn Iterator<Item = std::result::Result<RecordBatch, arrow_schema::ArrowError>> + Send>;

/// The batches of a columnar file, and its schema.
fn batches(kind: Kind, input: Columnar) -> Result<(Arc<Schema>, Batches)> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    match (kind, input) {
        (Kind::Parquet, Columnar::File(file)) => {
            let builder =
                ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| failed("Parquet", e))?;
            let schema = Arc::clone(builder.schema());
            Ok((
                schema,
                Box::new(builder.build().map_err(|e| failed("Parquet", e))?),
            ))
        }
        (Kind::Parquet, Columnar::Bytes(bytes)) => {
            let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
                .map_err(|e| failed("Parquet", e))?;
            let schema = Arc::clone(builder.schema());
            Ok((
                schema,
                Box::new(builder.build().map_err(|e| failed("Parquet", e))?),
            ))
        }
        (Kind::ArrowFile, input) => {
            let reader: Box<dyn ReadSeek> = match input {
                Columnar::File(file) => Box::new(file),
                Columnar::Bytes(bytes) => Box::new(std::io::Cursor::new(bytes)),
            };
            let reader = arrow_ipc::reader::FileReader::try_new(reader, None)
                .map_err(|e| failed("Arrow", e))?;
            Ok((reader.schema(), Box::new(reader)))
        }
        (Kind::ArrowStream, input) => {
            let reader: Box<dyn Read + Send> = match input {
                Columnar::File(file) => Box::new(std::io::BufReader::new(file)),
                Columnar::Bytes(bytes) => Box::new(std::io::Cursor::new(bytes)),
            };
            let reader = arrow_ipc::reader::StreamReader::try_new(reader, None)
                .map_err(|e| failed("Arrow", e))?;
            Ok((reader.schema(), Box::new(reader)))
        }
        (Kind::Csv, _) => Err(failed("columnar input", "this is a CSV file")),
    }
}

trait ReadSeek: Read + std::io::Seek + Send {}
impl<T: Read + std::io::Seek + Send> ReadSeek for T {}

/// Where the event format's columns are in a schema.
#[derive(Clone, Copy, Debug)]
struct Layout {
    person: usize,
    company: usize,
    site: usize,
    timestamp: usize,
    direction: usize,
    card: Option<usize>,
    origin: Option<usize>,
}

fn layout(schema: &Schema) -> Result<Layout> {
    let find = |name: &str| {
        schema
            .fields()
            .iter()
            .position(|f| f.name().trim().eq_ignore_ascii_case(name))
    };
    let required = ["person", "company", "site", "timestamp", "direction"];
    let missing: Vec<String> = required
        .iter()
        .filter(|c| find(c).is_none())
        .map(|c| (*c).to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Error::Format(
            loggningsindex_format::Error::MissingColumns { missing },
        ));
    }
    let at = |name| find(name).expect("checked above");
    Ok(Layout {
        person: at("person"),
        company: at("company"),
        site: at("site"),
        timestamp: at("timestamp"),
        direction: at("direction"),
        card: find("card"),
        origin: find("origin"),
    })
}

/// A text column of any Arrow text type (`Utf8`, `LargeUtf8`, `Utf8View`,
/// or a dictionary of those), read row by row; other crates reading event
/// columns from Arrow (the DataFusion functions) read them with this.
pub struct TextColumn<'a>(Text<'a>);

impl<'a> TextColumn<'a> {
    /// The column `array`, named `name` in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Columnar`] if the array is not text.
    pub fn new(array: &'a dyn Array, name: &str) -> Result<Self> {
        Text::of_array(array, name).map(TextColumn)
    }

    /// Row `i`'s bytes; a null is empty.
    pub fn get(&self, i: usize) -> &'a [u8] {
        self.0.get(i)
    }
}

/// A timestamp column: text in the event format's forms, or a `Timestamp`
/// of any unit (with a zone an instant, without one a wall-clock time).
pub struct TimeColumn<'a>(Time<'a>);

impl<'a> TimeColumn<'a> {
    /// The column `array`.
    ///
    /// # Errors
    ///
    /// [`Error::Columnar`] if the array is neither text nor a timestamp.
    pub fn new(array: &'a ArrayRef) -> Result<Self> {
        Time::of(array).map(TimeColumn)
    }

    /// Row `i`'s timestamp as [`parse_fields`] takes it.
    ///
    /// # Errors
    ///
    /// A null, or a typed value out of range.
    pub fn get(&self, i: usize) -> std::result::Result<Stamp<'a>, RejectReason> {
        self.0.get(i)
    }
}

/// A text column, whatever its Arrow type.
enum Text<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    Dictionary(Vec<usize>, Box<Text<'a>>, &'a dyn Array),
}

impl<'a> Text<'a> {
    fn of(array: &'a ArrayRef, name: &str) -> Result<Text<'a>> {
        Self::of_array(array.as_ref(), name)
    }

    fn of_array(array: &'a dyn Array, name: &str) -> Result<Text<'a>> {
        if let Some(a) = array.as_string_opt::<i32>() {
            return Ok(Text::Utf8(a));
        }
        if let Some(a) = array.as_string_opt::<i64>() {
            return Ok(Text::Large(a));
        }
        if let Some(a) = array.as_string_view_opt() {
            return Ok(Text::View(a));
        }
        if let Some(d) = array.as_any_dictionary_opt() {
            let values = Text::of_array(d.values().as_ref(), name)?;
            return Ok(Text::Dictionary(
                d.normalized_keys(),
                Box::new(values),
                array,
            ));
        }
        Err(failed(
            "columnar input",
            format!("column {name} is {}, not text", array.data_type()),
        ))
    }

    /// Row `i`'s bytes; a null is empty.
    fn get(&self, i: usize) -> &'a [u8] {
        match self {
            Text::Utf8(a) if a.is_valid(i) => a.value(i).as_bytes(),
            Text::Large(a) if a.is_valid(i) => a.value(i).as_bytes(),
            Text::View(a) if a.is_valid(i) => a.value(i).as_bytes(),
            Text::Dictionary(keys, values, array) if array.is_valid(i) => values.get(keys[i]),
            _ => b"",
        }
    }
}

/// The timestamp column: text, or a typed instant or wall-clock time.
enum Time<'a> {
    Text(Text<'a>),
    Typed {
        /// Nanoseconds per unit.
        scale: i64,
        values: &'a [i64],
        array: &'a dyn Array,
        /// With a time zone: an instant; without: a wall-clock time.
        zoned: bool,
    },
}

impl<'a> Time<'a> {
    fn of(array: &'a ArrayRef) -> Result<Time<'a>> {
        let DataType::Timestamp(unit, zone) = array.data_type() else {
            return Ok(Time::Text(Text::of(array, "timestamp")?));
        };
        let (scale, values): (i64, &[i64]) = match unit {
            TimeUnit::Second => (
                1_000_000_000,
                array.as_primitive::<TimestampSecondType>().values(),
            ),
            TimeUnit::Millisecond => (
                1_000_000,
                array.as_primitive::<TimestampMillisecondType>().values(),
            ),
            TimeUnit::Microsecond => (
                1_000,
                array.as_primitive::<TimestampMicrosecondType>().values(),
            ),
            TimeUnit::Nanosecond => (1, array.as_primitive::<TimestampNanosecondType>().values()),
        };
        Ok(Time::Typed {
            scale,
            values,
            array: array.as_ref(),
            zoned: zone.is_some(),
        })
    }

    fn get(&self, i: usize) -> std::result::Result<Stamp<'a>, RejectReason> {
        match self {
            Time::Text(text) => Ok(Stamp::Text(text.get(i))),
            Time::Typed { array, .. } if array.is_null(i) => Err(RejectReason::Empty("timestamp")),
            Time::Typed {
                scale,
                values,
                zoned,
                ..
            } => {
                let nanos = values[i]
                    .checked_mul(*scale)
                    .ok_or(RejectReason::Timestamp(TimestampError::Range))?;
                Ok(if *zoned {
                    Stamp::Instant(nanos)
                } else {
                    Stamp::Local(nanos)
                })
            }
        }
    }
}

/// One batch and the row number of its first row.
struct Piece {
    batch: RecordBatch,
    first_row: u64,
}

struct BatchSource {
    batches: Batches,
    next_row: u64,
}

impl Source for BatchSource {
    type Piece = Piece;
    fn next_piece(&mut self) -> Result<Option<Piece>> {
        match self.batches.next() {
            None => Ok(None),
            Some(Err(e)) => Err(failed("columnar input", e)),
            Some(Ok(batch)) => {
                let first_row = self.next_row;
                self.next_row += batch.num_rows() as u64;
                Ok(Some(Piece { batch, first_row }))
            }
        }
    }
}

/// The event columns of a batch, read row by row as the row rule takes them.
pub struct EventColumns<'a> {
    person: TextColumn<'a>,
    company: TextColumn<'a>,
    site: TextColumn<'a>,
    time: TimeColumn<'a>,
    direction: TextColumn<'a>,
    card: Option<TextColumn<'a>>,
    origin: Option<TextColumn<'a>>,
}

/// The arrays of the event columns; `card` and `origin` may be missing.
pub struct EventArrays<'a> {
    /// `person`.
    pub person: &'a ArrayRef,
    /// `company`.
    pub company: &'a ArrayRef,
    /// `site`.
    pub site: &'a ArrayRef,
    /// `timestamp`.
    pub timestamp: &'a ArrayRef,
    /// `direction`.
    pub direction: &'a ArrayRef,
    /// `card`.
    pub card: Option<&'a ArrayRef>,
    /// `origin`.
    pub origin: Option<&'a ArrayRef>,
}

impl<'a> EventColumns<'a> {
    /// The columns of `arrays`.
    ///
    /// # Errors
    ///
    /// [`Error::Columnar`] naming a column of a type that cannot hold its field.
    pub fn new(arrays: &EventArrays<'a>) -> Result<Self> {
        let text = |a: &'a ArrayRef, name| TextColumn::new(a.as_ref(), name);
        Ok(EventColumns {
            person: text(arrays.person, "person")?,
            company: text(arrays.company, "company")?,
            site: text(arrays.site, "site")?,
            time: TimeColumn::new(arrays.timestamp)?,
            direction: text(arrays.direction, "direction")?,
            card: arrays.card.map(|a| text(a, "card")).transpose()?,
            origin: arrays.origin.map(|a| text(a, "origin")).transpose()?,
        })
    }

    /// Row `i`'s fields.
    ///
    /// # Errors
    ///
    /// A null or out-of-range typed timestamp.
    pub fn fields(&self, i: usize) -> std::result::Result<Fields<'a>, RejectReason> {
        Ok(Fields {
            person: self.person.get(i),
            company: self.company.get(i),
            site: self.site.get(i),
            timestamp: self.time.get(i)?,
            direction: self.direction.get(i),
            card: self.card.as_ref().map(|c| c.get(i)),
            origin: self.origin.as_ref().map(|o| o.get(i)),
        })
    }
}

/// Parses one batch: every row through the event format's row rule.
fn parse_batch(piece: &Piece, layout: Layout, offsets: &mut Offsets) -> Result<ParsedChunk> {
    let c = piece.batch.columns();
    let columns = EventColumns::new(&EventArrays {
        person: &c[layout.person],
        company: &c[layout.company],
        site: &c[layout.site],
        timestamp: &c[layout.timestamp],
        direction: &c[layout.direction],
        card: layout.card.map(|i| &c[i]),
        origin: layout.origin.map(|i| &c[i]),
    })?;
    let mut out = ParsedChunk::default();
    for i in 0..piece.batch.num_rows() {
        let line = piece.first_row + i as u64;
        let row = columns.fields(i).and_then(|fields| {
            parse_fields(&fields, line, offsets).map(|row| stored_row(&row, &mut out.arena))
        });
        match row {
            Ok(row) => out.rows.push(row),
            Err(reason) => out.rejects.push(Reject { line, reason }),
        }
    }
    out.bytes = piece.batch.get_array_memory_size() as u64;
    Ok(out)
}

/// Computes the result from a Parquet or Arrow IPC file of event rows, as
/// [`crate::compute`] does from CSV: the same row rule, the same engines and
/// options (`delimiter` and `max_line_bytes` do not apply), the same result
/// for the same rows. Rejects name row numbers, from 1.
///
/// # Errors
///
/// A file that is not of `kind`, a missing column, a column of a type that
/// cannot hold its field, or a read error.
pub fn compute_columnar(
    kind: Kind,
    input: Columnar,
    options: &Options,
    mapper: &mut dyn IdMapper,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Computation> {
    let (schema, batches) = batches(kind, input)?;
    let layout = layout(&schema)?;
    let source = BatchSource {
        batches,
        next_row: 1,
    };
    let zone = options.zone.clone();
    // A column of the wrong type is found in every batch: the first one
    // found is reported, and no row is computed from a file read wrongly.
    let wrong_type = std::sync::Mutex::new(None);
    let parse = |piece: Piece| match parse_batch(&piece, layout, &mut zone.offsets()) {
        Ok(chunk) => chunk,
        Err(e) => {
            if let Ok(mut slot) = wrong_type.lock() {
                slot.get_or_insert(e);
            }
            ParsedChunk::default()
        }
    };
    let computation = crate::thread_pool(options)?
        .install(|| run_source(source, parse, options, mapper, progress))?;
    match wrong_type.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(computation),
    }
}

/// An event file of any kind, opened.
pub enum Input {
    /// Event CSV.
    Csv(Box<dyn Read + Send>),
    /// A Parquet or Arrow IPC file.
    Columnar(Kind, Columnar),
}

impl Input {
    /// Opens `path`, or standard input for `-`, and recognises its kind from
    /// its first bytes (not its name). Returns the input and, for CSV from a
    /// file, its size in bytes (for progress). A columnar file on standard
    /// input is read whole first (Parquet needs to seek).
    ///
    /// # Errors
    ///
    /// The file cannot be opened or read.
    pub fn open(path: &std::path::Path) -> std::io::Result<(Input, Option<u64>)> {
        use std::io::{Seek, SeekFrom};
        if path == std::path::Path::new("-") {
            let mut stdin = std::io::stdin();
            let mut first = Vec::with_capacity(8);
            (&mut stdin).take(8).read_to_end(&mut first)?;
            return Ok(match Kind::of(&first) {
                Kind::Csv => (
                    Input::Csv(Box::new(std::io::Cursor::new(first).chain(stdin))),
                    None,
                ),
                kind => {
                    stdin.read_to_end(&mut first)?;
                    (Input::Columnar(kind, Columnar::Bytes(first)), None)
                }
            });
        }
        let mut file = File::open(path)?;
        let mut first = Vec::with_capacity(8);
        (&mut file).take(8).read_to_end(&mut first)?;
        file.seek(SeekFrom::Start(0))?;
        let size = file.metadata().ok().map(|m| m.len());
        Ok(match Kind::of(&first) {
            Kind::Csv => (Input::Csv(Box::new(file)), size),
            kind => (Input::Columnar(kind, Columnar::File(file)), None),
        })
    }
}

/// Computes from an input of any kind: [`crate::compute`] for CSV,
/// [`compute_columnar`] for the others.
///
/// # Errors
///
/// As theirs.
pub fn compute_input(
    input: Input,
    options: &Options,
    mapper: &mut dyn IdMapper,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Computation> {
    match input {
        Input::Csv(reader) => crate::compute(reader, options, mapper, progress),
        Input::Columnar(kind, columnar) => {
            compute_columnar(kind, columnar, options, mapper, progress)
        }
    }
}
