//! A morning at one site, typed in by hand: form the shifts and print each
//! company's index.
//!
//! Run with `cargo run --example site_index`.

use loggningsindex::core::Direction::{In, Out};
use loggningsindex::core::{Event, Key, SortedEvents, Timestamp, summarize};
use time::macros::datetime;
use time::{OffsetDateTime, UtcOffset};

fn main() {
    let stockholm = UtcOffset::from_hms(1, 0, 0).expect("a valid offset");
    let at = |t: OffsetDateTime| {
        Timestamp::from_offset_datetime(t.to_offset(stockholm)).expect("in range")
    };
    let site = "BPL-1";
    let anna = Key::new("anna", "556677-8899", site);
    let bo = Key::new("bo", "556677-8899", site);
    let cem = Key::new("cem", "559900-1122", site);
    let mut events = vec![
        Event::new(anna, at(datetime!(2026-03-02 07:00 +01:00)), In),
        Event::new(anna, at(datetime!(2026-03-02 11:30 +01:00)), Out),
        Event::new(anna, at(datetime!(2026-03-02 12:15 +01:00)), In),
        Event::new(anna, at(datetime!(2026-03-02 16:00 +01:00)), Out),
        // Bo taps OUT by mistake and corrects himself within 30 seconds.
        Event::new(bo, at(datetime!(2026-03-02 06:55:00 +01:00)), Out),
        Event::new(bo, at(datetime!(2026-03-02 06:55:12 +01:00)), In),
        Event::new(bo, at(datetime!(2026-03-02 15:30 +01:00)), Out),
        // Bo forgets to check out on Tuesday.
        Event::new(bo, at(datetime!(2026-03-03 07:00 +01:00)), In),
        // Cem works a night shift; the register stores UTC.
        Event::new(cem, at(datetime!(2026-03-02 21:00 UTC)), In),
        Event::new(cem, at(datetime!(2026-03-03 05:00 UTC)), Out),
    ];

    println!("shifts:");
    let sorted = SortedEvents::sort(&mut events);
    for (_, shift) in sorted.shifts() {
        println!(
            "  {:<12} {:<6} {}  {:<12} ({} events)",
            shift.key.company, shift.key.site, shift.work_day, shift.class, shift.len
        );
    }

    let summary = summarize(&mut events);
    println!("index per company:");
    for (company, result) in &summary.companies {
        let index = result
            .stats
            .tally
            .rounded_index()
            .map_or("-".to_string(), |i| format!("{i:.1}"));
        println!(
            "  {company:<12} {index:>5}  ({} shifts, {} individuals)",
            result.stats.tally.shifts(),
            result.stats.individuals
        );
    }
}
