//! The whole pipeline through the library: a synthetic register, pseudonymised
//! on the fly, computed by the bulk engine, and the five weakest companies
//! printed as a Markdown table.
//!
//! Run with `cargo run --release --example pipeline`.

use loggningsindex::bulk::{Options, compute};
use loggningsindex::pseudonym::{Key, Pseudonymizer};
use loggningsindex::report::{Report, suppress, write_table};
use loggningsindex::synth::{CsvOptions, Population, write_csv};
use time::macros::date;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A seeded register: 80 companies over four weeks, as a register exports it.
    let population = Population::builder()
        .seed(7)
        .companies(80)
        .dates(date!(2026 - 03 - 02), date!(2026 - 03 - 29))
        .build()?;
    let mut csv = Vec::new();
    let written = write_csv(&population, &CsvOptions::default(), &mut csv, |_| {})?;

    // 2. Compute with identities pseudonymised as they are read: one HMAC per
    //    distinct id. (A real key comes from `loggningsindex keygen`.)
    let key = Key::from_hex(&"42".repeat(32))?;
    let mut pseudonymizer = Pseudonymizer::new(key, date!(2026 - 11 - 28));
    let result = compute(
        csv.as_slice(),
        &Options::default(),
        &mut pseudonymizer,
        &mut |_| {},
    )?;
    println!(
        "{} events written, {} read, {} accepted; {} distinct identifiers pseudonymised",
        written.events,
        result.records.read,
        result.records.accepted,
        pseudonymizer.distinct()
    );

    // 3. A publishable table: small site and month groups folded away.
    let report = suppress(&Report::new(result.records, &result.summary), 3);
    write_table(&report, Some(5), std::io::stdout().lock())?;
    Ok(())
}
