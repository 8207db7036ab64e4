//! Writing a population's register as the event CSV of docs/formats.md.

use std::io::{self, Write};

use time::Date;

use crate::Population;
use crate::plan::SynthEvent;

/// The header row written.
pub const HEADER: &str = "person,company,site,timestamp,direction,card,origin";

use loggningsindex_core::NANOS_PER_SECOND;
const SECONDS_PER_DAY: i64 = 86_400;
/// Call the progress callback this often (events).
const PROGRESS_EVERY: u64 = 1 << 16;

/// In which order rows are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Time order, as a register exports them; streams in constant memory.
    #[default]
    Sorted,
    /// A seeded random permutation; holds every event in memory.
    Shuffled,
}

/// Options for [`write_csv`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Row order.
    pub order: Order,
    /// How many deliberately unreadable rows to insert among the events
    /// (extra rows: the good events are all still written).
    pub bad_rows: u64,
    /// Stop after this many events (the population's last day is then cut).
    pub limit: Option<u64>,
}

/// What [`write_csv`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvStats {
    /// Good event rows.
    pub events: u64,
    /// Deliberately bad rows.
    pub bad_rows: u64,
    /// Of those, rows whose only fault is a personnummer check digit: bad only
    /// to a reader that validates identity numbers.
    pub bad_ids: u64,
}

/// The kinds of bad rows, written in turn. Each names the reason a reader
/// should give.
pub const BAD_ROW_KINDS: [&str; 9] = [
    "wrong field count",
    "empty person",
    "timestamp without seconds",
    "offset without colon",
    "hour 24",
    "second 60",
    "impossible date",
    "unknown direction",
    "invalid personnummer check digit",
];

/// Writes the header and the population's events as CSV, calling `progress`
/// with the number of events written now and then.
///
/// Identifiers never need quoting (digits, letters, `-`, `_`), so rows are
/// formatted directly, which keeps generation far faster than any consumer.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_csv<W: Write>(
    population: &Population,
    options: &CsvOptions,
    out: W,
    mut progress: impl FnMut(u64),
) -> io::Result<CsvStats> {
    let limit = options.limit.unwrap_or(u64::MAX);
    let mut writer = RowWriter::new(population, out);
    writer.out.write_all(HEADER.as_bytes())?;
    writer.out.write_all(b"\n")?;

    let expected = options
        .limit
        .unwrap_or_else(|| population.estimated_events());
    let every = (expected / (options.bad_rows + 1)).max(1);
    let mut stats = CsvStats::default();
    let mut write = |writer: &mut RowWriter<'_, W>, event: &SynthEvent| -> io::Result<()> {
        writer.row(event)?;
        stats.events += 1;
        if stats.events % every == 0 && stats.bad_rows < options.bad_rows {
            stats.bad_ids += u64::from(writer.bad_row(event, stats.bad_rows)?);
            stats.bad_rows += 1;
        }
        if stats.events % PROGRESS_EVERY == 0 {
            progress(stats.events);
        }
        Ok(())
    };

    let mut last = None;
    match options.order {
        Order::Sorted => {
            for event in population
                .events()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
            {
                write(&mut writer, &event)?;
                last = Some(event);
            }
        }
        Order::Shuffled => {
            let mut all: Vec<SynthEvent> = population
                .events()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .collect();
            fastrand::Rng::with_seed(population.seed ^ 0x5348_5546_464C_4521).shuffle(&mut all);
            for event in &all {
                write(&mut writer, event)?;
            }
            last = all.last().copied();
        }
    }
    // Bad rows the spacing did not place go at the end.
    if let Some(event) = last {
        while stats.bad_rows < options.bad_rows {
            stats.bad_ids += u64::from(writer.bad_row(&event, stats.bad_rows)?);
            stats.bad_rows += 1;
        }
    }
    progress(stats.events);
    writer.out.flush()?;
    Ok(stats)
}

struct RowWriter<'a, W> {
    population: &'a Population,
    out: W,
    line: Vec<u8>,
    /// The local day number whose `YYYY-MM-DD` is in `date_text`.
    date_day: i64,
    date_text: [u8; 10],
}

impl<'a, W: Write> RowWriter<'a, W> {
    fn new(population: &'a Population, out: W) -> Self {
        RowWriter {
            population,
            out,
            line: Vec::with_capacity(128),
            date_day: i64::MIN,
            date_text: [b'0'; 10],
        }
    }

    fn ids(&mut self, event: &SynthEvent) {
        let p = self.population;
        self.line
            .extend_from_slice(p.persons[event.person as usize].id.as_bytes());
        self.line.push(b',');
        self.line
            .extend_from_slice(p.companies[event.company as usize].id.as_bytes());
        self.line.push(b',');
        self.line
            .extend_from_slice(p.sites[event.site as usize].id.as_bytes());
        self.line.push(b',');
    }

    /// The card and the origin, and the line break.
    fn card(&mut self, event: &SynthEvent) {
        let card = self.population.card(event.person, event.company);
        self.line.extend_from_slice(card.as_bytes());
        self.line.push(b',');
        self.line
            .extend_from_slice(event.origin.as_str().as_bytes());
        self.line.push(b'\n');
    }

    /// `YYYY-MM-DDTHH:MM:SS±HH:MM` in the event's own offset.
    fn timestamp(&mut self, event: &SynthEvent) {
        let offset = i64::from(event.at.offset().whole_seconds());
        let local = event.at.unix_nanos().div_euclid(NANOS_PER_SECOND) + offset;
        let day = local.div_euclid(SECONDS_PER_DAY);
        let second = local.rem_euclid(SECONDS_PER_DAY);
        if day != self.date_day {
            let date = loggningsindex_core::date_from_epoch_days(day).unwrap_or(Date::MIN);
            let text = format!("{date}");
            self.date_text.copy_from_slice(&text.as_bytes()[..10]);
            self.date_day = day;
        }
        self.line.extend_from_slice(&self.date_text);
        self.line.push(b'T');
        two_digits(&mut self.line, second / 3_600);
        self.line.push(b':');
        two_digits(&mut self.line, second / 60 % 60);
        self.line.push(b':');
        two_digits(&mut self.line, second % 60);
        self.line.push(if offset < 0 { b'-' } else { b'+' });
        two_digits(&mut self.line, offset.abs() / 3_600);
        self.line.push(b':');
        two_digits(&mut self.line, offset.abs() / 60 % 60);
    }

    fn row(&mut self, event: &SynthEvent) -> io::Result<()> {
        self.line.clear();
        self.ids(event);
        self.timestamp(event);
        self.line.extend_from_slice(match event.direction {
            loggningsindex_core::Direction::In => b",IN,",
            loggningsindex_core::Direction::Out => b",OUT,",
        });
        self.card(event);
        self.out.write_all(&self.line)
    }

    /// A copy of `event`'s row, spoilt in the way `BAD_ROW_KINDS[n % 9]` says;
    /// says whether it was a spoilt personnummer. That kind needs a Swedish
    /// person id: for others it becomes a second unknown-direction row.
    fn bad_row(&mut self, event: &SynthEvent, n: u64) -> io::Result<bool> {
        let mut kind = (n % BAD_ROW_KINDS.len() as u64) as usize;
        let person = &self.population.persons[event.person as usize].id;
        let swedish = person.len() == 13 && person.as_bytes()[8] == b'-';
        if kind == 8 && !swedish {
            kind = 7;
        }
        self.line.clear();
        self.ids(event);
        let good_end = self.line.len();
        self.timestamp(event);
        let stamp = String::from_utf8_lossy(&self.line[good_end..]).into_owned();
        self.line.truncate(good_end);
        match kind {
            0 => {
                // Drop the last two fields.
                self.line.extend_from_slice(stamp.as_bytes());
                self.line.push(b'\n');
                return self.out.write_all(&self.line).map(|()| false);
            }
            1 => {
                let first_comma = self.line.iter().position(|&b| b == b',').unwrap_or(0);
                self.line.drain(..first_comma);
                self.line.extend_from_slice(stamp.as_bytes());
            }
            2 => self
                .line
                .extend_from_slice(format!("{}{}", &stamp[..16], &stamp[19..]).as_bytes()),
            3 => self
                .line
                .extend_from_slice(format!("{}{}", &stamp[..22], &stamp[23..]).as_bytes()),
            4 => self
                .line
                .extend_from_slice(format!("{}T24:00:00{}", &stamp[..10], &stamp[19..]).as_bytes()),
            5 => self
                .line
                .extend_from_slice(format!("{}:60{}", &stamp[..16], &stamp[19..]).as_bytes()),
            6 => self
                .line
                .extend_from_slice(format!("2026-02-30{}", &stamp[10..]).as_bytes()),
            7 => self.line.extend_from_slice(stamp.as_bytes()),
            _ => {
                // Flip the check digit (the last character of the person id).
                let at = person.len() - 1;
                let digit = self.line[at];
                self.line[at] = if digit == b'9' { b'0' } else { digit + 1 };
                self.line.extend_from_slice(stamp.as_bytes());
            }
        }
        self.line
            .extend_from_slice(if kind == 7 { b",INN," } else { b",IN," });
        self.card(event);
        self.out.write_all(&self.line).map(|()| kind == 8)
    }
}

fn two_digits(line: &mut Vec<u8>, n: i64) {
    line.push(b'0' + (n / 10 % 10) as u8);
    line.push(b'0' + (n % 10) as u8);
}
