//! The expected result of a vector, from the literal reading of the rules.

use std::fmt::Write as _;

use loggningsindex_core::reference::reference_shifts;
use loggningsindex_core::{Event, Key};
use loggningsindex_format::{EventReader, Next, Records};
use loggningsindex_report::{Report, write_json};
use loggningsindex_zone::Zone;

use crate::{Error, Result, Spec};

/// A vector's expected files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    /// `expected.json`: the result.
    pub json: String,
    /// `shifts.csv`: every shift with its key, work day, class, first and
    /// last event and number of events.
    pub shifts: String,
}

/// The expected files of `spec`: its rows read by the plain event reader
/// (time zone Europe/Stockholm), auto events counted apart, the shifts formed
/// and judged by [`loggningsindex_core::reference`], and the result built
/// from those shifts.
///
/// # Errors
///
/// [`Error::Input`] if the spec's input is not an event file.
pub fn expected(spec: &Spec) -> Result<Expected> {
    let input_error = |message: String| Error::Input {
        name: spec.name.to_string(),
        message,
    };
    let mut reader = EventReader::new(spec.csv.as_bytes(), &Zone::stockholm())
        .map_err(|e| input_error(e.to_string()))?;
    let mut records = Records::default();
    let mut events = Vec::new();
    let mut autos = Vec::new();
    loop {
        match reader.next_row().map_err(|e| input_error(e.to_string()))? {
            Next::End => break,
            Next::Rejected(_) => records.rejected += 1,
            Next::Row(row) => {
                records.accepted += 1;
                let key = Key::new(
                    row.person.to_string(),
                    row.company.to_string(),
                    row.site.to_string(),
                );
                if row.origin.takes_part() {
                    events.push(Event::new(key, row.at, row.direction));
                } else {
                    autos.push((key, row.at.local_date()));
                }
            }
        }
    }
    records.read = records.accepted + records.rejected;
    let mut summary = loggningsindex_core::reference::reference_summary(&events);
    for (key, date) in autos {
        summary.add_auto(key.company, key.site, date);
    }
    let mut json = Vec::new();
    write_json(&Report::new(records, &summary), &mut json)
        .map_err(|e| input_error(e.to_string()))?;
    let mut shifts = String::from("person,company,site,work_day,class,first,last,events\n");
    for s in reference_shifts(&events) {
        let _ = writeln!(
            shifts,
            "{},{},{},{},{},{},{},{}",
            csv_field(&s.key.person),
            csv_field(&s.key.company),
            csv_field(&s.key.site),
            s.work_day,
            s.class,
            s.first,
            s.last,
            s.len
        );
    }
    Ok(Expected {
        json: String::from_utf8_lossy(&json).into_owned(),
        shifts,
    })
}

/// A CSV field, quoted when it must be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
