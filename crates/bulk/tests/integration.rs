//! Integration tests of the bulk reader and engines: every reading rule of
//! docs/formats.md, bad input, and the engines' agreement with the core.

use loggningsindex_bulk::{
    Computation, Engine, Error, Options, Partial, Partition, RejectReason, TimestampError,
    Verbatim, compute, merge_partials,
};
use loggningsindex_core::{Direction, Event, Key, Summary, summarize};
use proptest::prelude::*;
use time::UtcOffset;

const HEADER: &str = "person,company,site,timestamp,direction\n";

fn run_with(csv: &[u8], options: &Options) -> Result<Computation, Error> {
    compute(csv, options, &mut Verbatim, &mut |_| {})
}

fn run(csv: &str) -> Computation {
    run_with(csv.as_bytes(), &Options::default()).expect("a readable file")
}

fn streaming() -> Options {
    Options::default().with_engine(Engine::streaming(300 * 1_000_000_000))
}

fn reasons(c: &Computation) -> Vec<(u64, String)> {
    c.rejects
        .iter()
        .map(|r| (r.line, r.reason.to_string()))
        .collect()
}

fn tally(c: &Computation) -> (u64, u64, u64, u64) {
    let t = c.summary.totals.tally;
    (t.correct, t.missing_in, t.missing_out, t.missing_both)
}

#[test]
fn header_names_in_any_order_and_case_with_unknown_columns() {
    let c = run("Direction,reader, TIMESTAMP ,Site,COMPANY,Person,card\n\
                 IN,r1,2026-03-02T07:00:00+01:00,s,c,p,AB-1234567890\n\
                 ut,r1,2026-03-02T16:00:00+01:00,s,c,p,AB-1234567890\n");
    assert_eq!((c.records.read, c.records.accepted), (2, 2));
    assert_eq!(tally(&c), (1, 0, 0, 0));
}

#[test]
fn missing_columns_and_empty_input_are_errors() {
    let err = run_with(b"person,company,when,direction\n", &Options::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Format(loggningsindex_format::Error::MissingColumns {
            missing: vec!["site".into(), "timestamp".into()]
        })
    );
    assert!(err.to_string().contains("site, timestamp"));
    assert!(err.is_usage());
    assert_eq!(
        run_with(b"", &Options::default()).unwrap_err(),
        Error::Format(loggningsindex_format::Error::NoHeader)
    );
    assert_eq!(
        run_with(b"\n\n", &Options::default()).unwrap_err(),
        Error::Format(loggningsindex_format::Error::NoHeader)
    );
}

#[test]
fn header_only_gives_an_empty_result_with_null_index() {
    for csv in [HEADER, "person,company,site,timestamp,direction"] {
        let c = run(csv);
        assert_eq!(c.records.read, 0);
        assert_eq!(c.summary.totals.tally.index(), None);
    }
}

#[test]
fn bom_crlf_quotes_trimming_and_empty_lines() {
    let csv = "\u{feff}person,company,site,timestamp,direction\r\n\
               \r\n\
               \"p, the first\" ,  c\t,\"s\",2026-03-02T07:00:00+01:00, in \r\n\
               \n\
               \"p, the first\",c,s,2026-03-02 16:00:00+01:00,\"OUT\"\r\n";
    let c = run(csv);
    assert_eq!(
        (c.records.read, c.records.accepted, c.records.rejected),
        (2, 2, 0)
    );
    assert_eq!(tally(&c), (1, 0, 0, 0));
    assert!(c.summary.companies.contains_key("c"));
}

#[test]
fn a_line_of_blanks_is_a_record_with_the_wrong_field_count() {
    let c =
        run("person,company,site,timestamp,direction\n \t \np,c,s,2026-03-02T07:00:00+01:00,IN\n");
    assert_eq!(
        (c.records.read, c.records.accepted, c.records.rejected),
        (2, 1, 1)
    );
    assert_eq!(
        reasons(&c),
        [(2, "wrong field count: expected 5, found 1".to_string())]
    );
}

#[test]
fn quoted_fields_with_line_breaks_keep_line_numbers() {
    let csv = "person,company,site,timestamp,direction\n\
               \"p\",\"c\",\"site\nwith a break\",2026-03-02T07:00:00+01:00,IN\n\
               p,c,s,2026-03-02T07:00:00+01:00,SIDEWAYS\n\
               \"p \"\"quoted\"\"\",c,s,nonsense,IN\n";
    let c = run(csv);
    assert_eq!(
        reasons(&c),
        [
            // An identifier with a line break could forge a row in an output.
            (2, "control character in site".to_string()),
            (4, "unknown direction (expected IN, OUT or UT)".to_string()),
            (5, "bad timestamp: not YYYY-MM-DDTHH:MM:SS".to_string())
        ]
    );
}

#[test]
fn every_bad_row_is_rejected_with_line_and_reason_and_the_rest_goes_on() {
    let csv = "person,company,site,timestamp,direction\n\
               p,c,s,2026-03-02T07:00:00+01:00,IN\n\
               p,c,s,2026-03-02T07:00:00+01:00\n\
               ,c,s,2026-03-02T07:00:00+01:00,IN\n\
               p, ,s,2026-03-02T07:00:00+01:00,IN\n\
               p,c,s,2026-03-02T07:01+01:00,IN\n\
               p,c,s,2026-03-02T07:01:00+0100,IN\n\
               p,c,s,2026-03-02T24:00:00+01:00,IN\n\
               p,c,s,2026-03-02T07:00:60+01:00,IN\n\
               p,c,s,2026-02-30T07:00:00+01:00,IN\n\
               p,c,s,2026-03-02T07:00:00+01:00,INN\n\
               p,c,s,,IN\n\
               p,c,s,2026-03-02T07:00:00+01:00,\n\
               p,c,s,2026-03-02T07:00:00+01:00,IN,extra\n\
               p,c,s,2026-03-02T16:00:00+01:00,OUT\n";
    let c = run(csv);
    assert_eq!(
        (c.records.read, c.records.accepted, c.records.rejected),
        (14, 2, 12)
    );
    let want = [
        (3, "wrong field count: expected 5, found 4"),
        (4, "empty person"),
        (5, "empty company"),
        (6, "bad timestamp: seconds missing"),
        (7, "bad timestamp: offset must be Z or ±HH:MM"),
        (8, "bad timestamp: time of day out of range"),
        (9, "bad timestamp: time of day out of range"),
        (10, "bad timestamp: no such date"),
        (11, "unknown direction (expected IN, OUT or UT)"),
        (12, "empty timestamp"),
        (13, "empty direction"),
        (14, "wrong field count: expected 5, found 6"),
    ];
    let want: Vec<(u64, String)> = want.iter().map(|(l, r)| (*l, (*r).to_string())).collect();
    assert_eq!(reasons(&c), want);
    assert_eq!(tally(&c), (1, 0, 0, 0));
}

#[test]
fn invalid_utf8_is_rejected_not_fatal() {
    let mut csv = HEADER.as_bytes().to_vec();
    csv.extend_from_slice(b"p\xff,c,s,2026-03-02T07:00:00+01:00,IN\n");
    csv.extend_from_slice(b"p,c,s,2026-03-02T07:00:00+01:00,IN\n");
    let c = run_with(&csv, &Options::default()).unwrap();
    assert_eq!(c.rejects[0].reason, RejectReason::InvalidUtf8);
    assert_eq!((c.records.accepted, c.records.rejected), (1, 1));
}

#[test]
fn a_truncated_file_and_an_unterminated_quote() {
    // The last line lacks its direction and line break: rejected, not lost.
    let c = run(
        "person,company,site,timestamp,direction\np,c,s,2026-03-02T07:00:00+01:00,IN\np,c,s,2026-03-02T0",
    );
    assert_eq!((c.records.read, c.records.rejected), (2, 1));
    // An unterminated quote swallows the rest of the file into one field.
    let c = run(
        "person,company,site,timestamp,direction\n\"p,c,s,2026-03-02T07:00:00+01:00,IN\np,c,s,2026-03-02T08:00:00+01:00,IN\n",
    );
    assert_eq!((c.records.read, c.records.rejected), (1, 1));
    assert_eq!(c.rejects[0].line, 2);
}

#[test]
fn a_ten_megabyte_line_is_rejected_and_the_rest_read() {
    let mut csv = String::from(HEADER);
    csv.push_str(&"x".repeat(10 << 20));
    csv.push_str(",c,s,2026-03-02T07:00:00+01:00,IN,too,many\n");
    csv.push_str("p,c,s,2026-03-02T07:00:00+01:00,IN\n");
    let c = run(&csv);
    assert_eq!(
        (c.records.read, c.records.accepted, c.records.rejected),
        (2, 1, 1)
    );
    assert_eq!(c.rejects[0].line, 2);
}

#[test]
fn utc_night_shift_lands_on_the_swedish_day() {
    // 21:00Z Monday is 22:00 in Stockholm; 05:00Z Tuesday is 06:00.
    let c = run("person,company,site,timestamp,direction\n\
                 p,c,s,2026-03-02T21:00:00Z,IN\n\
                 p,c,s,2026-03-03T05:00:00Z,OUT\n\
                 q,c,s,2026-03-31T22:30:00Z,IN\n\
                 q,c,s,2026-04-01T06:00:00Z,OUT\n");
    assert_eq!(tally(&c), (2, 0, 0, 0));
    // q's shift starts 00:30 on 1 April in Stockholm (+02:00): an April shift.
    let months: Vec<&String> = c.summary.companies["c"]
        .months
        .keys()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .leak()
        .iter()
        .collect();
    assert_eq!(months, ["2026-03", "2026-04"]);
}

#[test]
fn the_site_zone_decides_the_date_not_the_written_offset() {
    // Written at +00:00, but 23:30 UTC is already the next day in Stockholm;
    // in UTC as the site zone it is not.
    let csv = "person,company,site,timestamp,direction\np,c,s,2026-03-31T23:30:00+00:00,IN\n";
    let stockholm = run(csv);
    let months: Vec<String> = stockholm.summary.companies["c"]
        .months
        .keys()
        .map(|m| m.to_string())
        .collect();
    assert_eq!(months, ["2026-04"]);
    let utc = Options::default().with_zone(loggningsindex_zone::Zone::get("UTC").unwrap());
    let utc = run_with(csv.as_bytes(), &utc).unwrap();
    let months: Vec<String> = utc.summary.companies["c"]
        .months
        .keys()
        .map(|m| m.to_string())
        .collect();
    assert_eq!(months, ["2026-03"]);
}

#[test]
fn naive_times_use_the_zone_with_compatible_dst_semantics() {
    // 02:30 on 29 March does not exist: it becomes 03:30 +02:00, 13 h after
    // 14:30 (+01:00) the day before would be 04:30; so IN 14:30 Sat and OUT
    // 02:30 Sun (= 03:30 CEST, 12 h later) form one correct night shift.
    let c = run("person,company,site,timestamp,direction\n\
                 p,c,s,2026-03-28 14:30:00,IN\n\
                 p,c,s,2026-03-29 02:30:00,OUT\n");
    assert_eq!(tally(&c), (1, 0, 0, 0));
    // 02:30 on 25 October occurs twice: the earlier (+02:00) is meant, so an
    // IN at 15:30 (+02:00) the day before and an OUT at 02:30 are 11 h apart.
    let c = run("person,company,site,timestamp,direction\n\
                 p,c,s,2026-10-24 15:30:00,IN\n\
                 p,c,s,2026-10-25 02:30:00,OUT\n");
    assert_eq!(tally(&c), (1, 0, 0, 0));
}

#[test]
fn streaming_rejects_events_later_than_the_window() {
    let csv = "person,company,site,timestamp,direction\n\
               p,c,s,2026-03-02T07:00:00+01:00,IN\n\
               q,c,s,2026-03-02T08:00:00+01:00,IN\n\
               p,c,s,2026-03-02T07:58:00+01:00,OUT\n\
               p,c,s,2026-03-02T07:30:00+01:00,OUT\n";
    let c = run_with(csv.as_bytes(), &streaming()).unwrap();
    assert_eq!(reasons(&c).len(), 1);
    assert_eq!(c.rejects[0].line, 5);
    assert_eq!(c.rejects[0].reason, RejectReason::TooLate);
    assert_eq!(
        (c.records.read, c.records.accepted, c.records.rejected),
        (4, 3, 1)
    );
}

// ---- The engines agree with the core ---------------------------------------

/// Events of a few keys over three days across the spring DST change, with
/// the Stockholm offset a reader assigns (the core's exported strategy).
fn arb_event() -> impl Strategy<Value = Event<u32>> {
    loggningsindex_core::strategies::stockholm_event(6, 3, 2)
}

/// Writes events as CSV, in their order, with a mix of timestamp spellings.
fn to_csv(events: &[Event<u32>]) -> String {
    to_csv_quoting(events, false)
}

/// As [`to_csv`]; with `quoted`, some fields are quoted, which switches the
/// reader to its record-by-record path from the first quote on.
fn to_csv_quoting(events: &[Event<u32>], quoted: bool) -> String {
    let mut csv = String::from("person,company,site,timestamp,direction\n");
    for (i, e) in events.iter().enumerate() {
        let t = e.at.to_offset_datetime();
        let utc = t.to_offset(UtcOffset::UTC);
        let clock = |t: time::OffsetDateTime| {
            format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
        };
        let stamp = match i % 3 {
            0 => format!("{}T{}{}", t.date(), clock(t), offset_text(e.at.offset())),
            1 => format!("{} {}Z", utc.date(), clock(utc)),
            _ => format!("{}T{}+00:00", utc.date(), clock(utc)),
        };
        let direction = if e.direction == Direction::In {
            "IN"
        } else {
            "UT"
        };
        let q = if quoted && i % 5 == 2 { "\"" } else { "" };
        csv.push_str(&format!(
            "{q}p{}{q},c{},s{},{stamp},{direction}\n",
            e.key.person, e.key.company, e.key.site
        ));
    }
    csv
}

fn offset_text(offset: UtcOffset) -> String {
    format!(
        "+{:02}:{:02}",
        offset.whole_hours(),
        offset.minutes_past_hour()
    )
}

/// The core's summary of the events, with ids spelled as in `to_csv`.
fn core_summary(events: &[Event<u32>]) -> Summary<String> {
    let mut events = events.to_vec();
    summarize(&mut events).map_ids(|c| format!("c{c}"), |s| format!("s{s}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_parallel_equals_sequential(events in prop::collection::vec(arb_event(), 0..300), quoted in any::<bool>()) {
        let csv = to_csv_quoting(&events, quoted);
        let want = core_summary(&events);
        for threads in [1, 2, 7] {
            let options = Options::default().with_threads(threads);
            let got = run_with(csv.as_bytes(), &options).unwrap();
            prop_assert_eq!(got.records.accepted, events.len() as u64);
            prop_assert_eq!(&got.summary, &want, "threads {}", threads);
        }
    }

    /// The streaming engine's result does not depend on its threads (its
    /// partitions of the people) or on how often it releases (once per wave
    /// of chunks: tiny chunks release after every few rows).
    #[test]
    fn prop_streaming_equals_in_memory(
        mut events in prop::collection::vec(arb_event(), 0..300),
        chunk_bytes in prop_oneof![Just(1 << 20), 1usize..400],
    ) {
        events.sort_by_key(|e| (e.at.unix_nanos(), e.direction));
        let csv = to_csv(&events);
        let want = core_summary(&events);
        for threads in [1, 2, 7] {
            let options = streaming().with_threads(threads).with_chunk_bytes(chunk_bytes);
            let got = run_with(csv.as_bytes(), &options).unwrap();
            prop_assert_eq!(got.records.rejected, 0);
            prop_assert_eq!(&got.summary, &want, "threads {}", threads);
        }
    }

    /// Both engines: every row counts in exactly one partition. For the
    /// streaming engine the input is time-ordered with a few rows moved late,
    /// so some rows are rejected as too late — in the partition of their person.
    #[test]
    fn prop_merge_of_partials_equals_whole(
        mut events in prop::collection::vec(arb_event(), 0..300),
        n in 1u32..5,
        streaming_engine in any::<bool>(),
        moved in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..4),
    ) {
        let base = if streaming_engine {
            events.sort_by_key(|e| (e.at.unix_nanos(), e.direction));
            for (from, to) in &moved {
                if !events.is_empty() {
                    let event = events.remove(from.index(events.len()));
                    events.insert(to.index(events.len() + 1), event);
                }
            }
            Options::default()
                .with_engine(Engine::streaming(60_000_000_000))
                .with_threads(1 + moved.len())
        } else {
            Options::default()
        };
        let csv = to_csv(&events);
        let whole = run_with(csv.as_bytes(), &base).unwrap();
        let partials: Vec<Partial> = (0..n)
            .map(|i| {
                let options = base.clone().with_partition(Partition::new(i, n).unwrap());
                Partial::of(&run_with(csv.as_bytes(), &options).unwrap())
            })
            .collect();
        let merged = merge_partials(partials).unwrap();
        prop_assert_eq!(merged.records, whole.records);
        prop_assert_eq!(merged.summary, whole.summary);
        let whole_lines: Vec<u64> = whole.rejects.iter().map(|r| r.line).collect();
        let merged_lines: Vec<u64> = merged.rejects.iter().map(|r| r.0).collect();
        prop_assert_eq!(merged_lines, whole_lines);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Garbage after a valid header never panics, counts reconcile, and the
    /// parallel chunked reader — at any chunk size and thread count — reads
    /// exactly what the plain sequential reader of the event format reads:
    /// the same rows accepted, the same lines rejected for the same reasons.
    #[test]
    fn prop_any_bytes_are_read_as_the_reference_reader_reads_them(
        body in prop::collection::vec(prop_oneof![
            Just(b',' ), Just(b'\n'), Just(b'"'), Just(b'\r'), Just(b' '),
            Just(b'2'), Just(b'-'), Just(b':'), Just(b'T'), Just(b'I'), Just(b'N'), any::<u8>(),
        ], 0..400),
        rows in prop::collection::vec(arb_event(), 0..5),
        chunk_bytes in prop_oneof![Just(1usize), 2usize..64, Just(4 << 20)],
        threads in 1usize..3,
    ) {
        let mut csv = to_csv(&rows).into_bytes();
        csv.extend_from_slice(&body);
        let (want_summary, want_rejects, want_records) = reference_read(&csv);
        let options = Options::default().with_chunk_bytes(chunk_bytes).with_threads(threads);
        let c = run_with(&csv, &options).unwrap();
        prop_assert_eq!(c.records, want_records);
        let mut got = reasons(&c);
        // Two records can share a line (a lone CR ends one): compare as sets.
        got.sort();
        prop_assert_eq!(got, want_rejects);
        prop_assert_eq!(c.summary, want_summary);
        let s = run_with(&csv, &streaming().with_chunk_bytes(chunk_bytes)).unwrap();
        prop_assert_eq!(s.records.read, s.records.accepted + s.records.rejected);
        prop_assert_eq!(s.records.read, want_records.read);
    }
}

/// The plain sequential reading of an event file: `loggningsindex-format`'s
/// `EventReader`, every accepted row summarised by the core.
fn reference_read(
    csv: &[u8],
) -> (
    Summary<String>,
    Vec<(u64, String)>,
    loggningsindex_bulk::Records,
) {
    use loggningsindex_format::{EventReader, Next};
    let mut reader = EventReader::new(csv, &loggningsindex_zone::Zone::stockholm()).unwrap();
    let mut events = Vec::new();
    let mut rejects = Vec::new();
    loop {
        match reader.next_row().unwrap() {
            Next::End => break,
            Next::Rejected(r) => rejects.push((r.line, r.reason.to_string())),
            Next::Row(row) => events.push(Event::new(
                Key::new(
                    row.person.to_string(),
                    row.company.to_string(),
                    row.site.to_string(),
                ),
                row.at,
                row.direction,
            )),
        }
    }
    let records = loggningsindex_bulk::Records {
        read: (events.len() + rejects.len()) as u64,
        accepted: events.len() as u64,
        rejected: rejects.len() as u64,
    };
    rejects.sort();
    (summarize(&mut events), rejects, records)
}

/// Review of the house: no test crossed the 4 MiB read chunk. With chunks of
/// a few bytes every record — quoted fields with line breaks among them —
/// crosses a chunk edge, and the result is the same.
#[test]
fn records_across_chunk_edges_read_the_same() {
    let csv = "person,company,site,timestamp,direction\n\
               p,c,s,2026-03-02T07:00:00+01:00,IN\n\
               \"p\",\"c\",\"s\",2026-03-02T16:00:00+01:00,OUT\n\
               q,c,\"a, site\",2026-03-02T07:00:00+01:00,IN\n\
               q,c,s,bad,IN\n\
               \"q\nr\",c,s,2026-03-02T08:00:00+01:00,IN\n\
               r,c,s,2026-03-02T09:00:00+01:00,OUT\n";
    let whole = run(csv);
    assert_eq!(
        (
            whole.records.read,
            whole.records.accepted,
            whole.records.rejected
        ),
        (6, 4, 2)
    );
    for chunk_bytes in [1, 2, 3, 5, 8, 13, 40, 41, 42, 100] {
        for threads in [1, 2] {
            let options = Options::default()
                .with_chunk_bytes(chunk_bytes)
                .with_threads(threads);
            let c = run_with(csv.as_bytes(), &options).unwrap();
            assert_eq!(c.records, whole.records, "chunk {chunk_bytes}");
            assert_eq!(reasons(&c), reasons(&whole), "chunk {chunk_bytes}");
            assert_eq!(c.summary, whole.summary, "chunk {chunk_bytes}");
        }
    }
}

#[test]
fn merge_refuses_incomplete_or_mixed_partials() {
    let csv = to_csv(&[]);
    let part = |i, n| {
        let options = Options::default().with_partition(Partition::new(i, n).unwrap());
        Partial::of(&run_with(csv.as_bytes(), &options).unwrap())
    };
    assert!(merge_partials(vec![part(0, 2)]).is_err());
    assert!(merge_partials(vec![part(0, 2), part(0, 2)]).is_err());
    assert!(merge_partials(vec![part(0, 2), part(1, 3)]).is_err());
    assert!(merge_partials(vec![]).is_err());
    assert!(merge_partials(vec![part(1, 2), part(0, 2)]).is_ok());
}

/// Review finding 11.3: with `--sorted` and `--partition`, rows rejected as
/// too late were counted in no partition ({read 3} merged against {read 4}).
#[test]
fn late_rows_are_counted_in_exactly_one_streaming_partition() {
    let csv = "person,company,site,timestamp,direction\n\
               a,c,s,2026-03-02T07:00:00+01:00,IN\n\
               b,c,s,2026-03-02T09:00:00+01:00,IN\n\
               c,c,s,2026-03-02T10:00:00+01:00,IN\n\
               d,c,s,2026-03-02T07:30:00+01:00,OUT\n";
    let streaming = Options::default().with_engine(Engine::streaming(0));
    let whole = run_with(csv.as_bytes(), &streaming).unwrap();
    assert_eq!(
        (
            whole.records.read,
            whole.records.accepted,
            whole.records.rejected
        ),
        (4, 3, 1)
    );
    for n in 1..=4 {
        let partials: Vec<Partial> = (0..n)
            .map(|i| {
                let options = streaming
                    .clone()
                    .with_partition(Partition::new(i, n).unwrap());
                Partial::of(&run_with(csv.as_bytes(), &options).unwrap())
            })
            .collect();
        let merged = merge_partials(partials).unwrap();
        assert_eq!(merged.records, whole.records, "{n} partitions");
        assert_eq!(merged.summary, whole.summary, "{n} partitions");
    }
}

#[test]
fn rejects_split_across_partitions_add_up() {
    let csv = "person,company,site,timestamp,direction\n\
               p,c,s,2026-03-02T07:00:00+01:00,IN\n\
               p,c,s,bad,IN\n\
               q,c,s,2026-03-02T07:00:00+01:00,IN\n\
               ,c,s,2026-03-02T07:00:00+01:00,IN\n";
    let partials: Vec<Partial> = (0..3)
        .map(|i| {
            let options = Options::default().with_partition(Partition::new(i, 3).unwrap());
            Partial::of(&run_with(csv.as_bytes(), &options).unwrap())
        })
        .collect();
    let merged = merge_partials(partials).unwrap();
    let r = merged.records;
    assert_eq!((r.read, r.accepted, r.rejected), (4, 2, 2));
    assert_eq!(
        merged.rejects.iter().map(|r| r.0).collect::<Vec<_>>(),
        [3, 5]
    );
}

#[test]
fn a_synthetic_register_with_bad_rows_reconciles_and_matches_the_core() {
    use loggningsindex_synth::{CsvOptions, Population, write_csv};
    let population = Population::builder()
        .seed(12)
        .companies(60)
        .dates(
            time::macros::date!(2026 - 03 - 20),
            time::macros::date!(2026 - 04 - 10),
        )
        .build()
        .unwrap();
    let options = CsvOptions {
        bad_rows: 27,
        ..CsvOptions::default()
    };
    let mut csv = Vec::new();
    let stats = write_csv(&population, &options, &mut csv, |_| {}).unwrap();
    for engine_options in [Options::default(), streaming()] {
        let c = run_with(&csv, &engine_options).unwrap();
        assert_eq!(c.records.read, stats.events + stats.bad_rows);
        // Rows whose only fault is a personnummer check digit are valid
        // without pseudonymisation: each is an event of a person of its own.
        assert_eq!(c.records.rejected, stats.bad_rows - stats.bad_ids);
        assert_eq!(c.records.read, c.records.accepted + c.records.rejected);
        let mut events: Vec<Event<u32>> = population
            .events()
            .filter(|e| e.origin.takes_part())
            .map(|e| e.to_event())
            .collect();
        let core = summarize(&mut events);
        assert_eq!(
            c.summary.totals.tally.shifts(),
            core.totals.tally.shifts() + stats.bad_ids
        );
        let mut core_without_ids = core.totals.tally;
        core_without_ids.missing_out += stats.bad_ids;
        assert_eq!(
            c.summary.totals.tally, core_without_ids,
            "each is an IN alone"
        );
    }
}

#[test]
fn timestamp_error_kinds_are_public() {
    let c = run("person,company,site,timestamp,direction\np,c,s,2026-03-02T07:00,IN\n");
    assert_eq!(
        c.rejects[0].reason,
        RejectReason::Timestamp(TimestampError::MissingSeconds)
    );
}

// ---- origin `auto` (RULES §7) ---------------------------------------------------

/// Writes events and auto events as CSV with an `origin` column: the events
/// in order with a mix of origins, each auto event inserted at its position.
fn to_csv_with_autos(events: &[Event<u32>], autos: &[(usize, Event<u32>)]) -> String {
    let plain = to_csv(events);
    let mut lines: Vec<String> = plain.lines().skip(1).map(str::to_string).collect();
    let origins = ["card", "app", "", "MANUAL"];
    for (i, line) in lines.iter_mut().enumerate() {
        line.push(',');
        line.push_str(origins[i % origins.len()]);
    }
    for (at, auto) in autos {
        let row = to_csv(std::slice::from_ref(auto));
        let row = format!("{},auto", row.lines().nth(1).unwrap());
        let at = (*at).min(lines.len());
        lines.insert(at, row);
    }
    format!(
        "person,company,site,timestamp,direction,origin\n{}\n",
        lines.join("\n")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Auto events are accepted and counted in their groups, and the shifts
    /// are exactly those of the file without them — in both engines, for any
    /// partitioning.
    #[test]
    fn prop_auto_events_take_no_part_in_shifts(
        mut events in prop::collection::vec(arb_event(), 0..150),
        autos in prop::collection::vec((0usize..200, arb_event()), 0..20),
        n in 1u32..4,
    ) {
        events.sort_by_key(|e| (e.at.unix_nanos(), e.direction));
        let with = to_csv_with_autos(&events, &autos);
        let without = to_csv(&events);
        let mut want = core_summary(&events);
        for (_, a) in &autos {
            want.add_auto(format!("c{}", a.key.company), format!("s{}", a.key.site), a.at.local_date());
        }
        for options in [Options::default(), streaming()] {
            let got = run_with(with.as_bytes(), &options).unwrap();
            prop_assert_eq!(got.records.accepted, (events.len() + autos.len()) as u64);
            prop_assert_eq!(got.records.rejected, 0);
            prop_assert_eq!(&got.summary, &want);
            let plain = run_with(without.as_bytes(), &options).unwrap();
            prop_assert_eq!(plain.summary.totals.tally, got.summary.totals.tally);
            let partials: Vec<Partial> = (0..n)
                .map(|i| Partial::of(&run_with(with.as_bytes(), &options.clone().with_partition(Partition::new(i, n).unwrap())).unwrap()))
                .collect();
            let merged = merge_partials(partials).unwrap();
            prop_assert_eq!(merged.records, got.records);
            prop_assert_eq!(merged.summary, got.summary);
        }
    }
}

#[test]
fn rules_example_of_section_7_and_unknown_origins() {
    let csv = "person,company,site,timestamp,direction,origin\n\
               p,c,s,2026-03-02T07:00:00+01:00,IN,card\n\
               p,c,s,2026-03-02T23:59:00+01:00,OUT,auto\n\
               p,c,s,2026-03-03T07:00:00+01:00,IN,robot\n\
               q,d,s,2026-03-03T23:59:00+01:00,OUT,Auto\n";
    let c = run(csv);
    assert_eq!(
        (c.records.read, c.records.accepted, c.records.rejected),
        (4, 3, 1)
    );
    assert_eq!(
        reasons(&c),
        [(
            4,
            "unknown origin (expected card, app, manual, auto or empty)".to_string()
        )]
    );
    assert_eq!(
        tally(&c),
        (0, 0, 1, 0),
        "IN 07:00 (card), OUT 23:59 (auto): MissingOut"
    );
    assert_eq!(c.summary.totals.auto_events, 2);
    assert_eq!(c.summary.companies["c"].stats.auto_events, 1);
    // A company with auto events but no shift is listed, with no index.
    let d = &c.summary.companies["d"];
    assert_eq!((d.stats.auto_events, d.stats.tally.index()), (1, None));
}

/// National-scale review 10.5: a line longer than the limit is rejected with
/// its number and never held whole; the rest is read — with and without
/// quotes, at any chunk size, and a last line without a line break too.
#[test]
fn overlong_lines_are_rejected_not_held() {
    let long = "x".repeat(1_000);
    for quoted in [false, true] {
        let q = if quoted { "\"" } else { "" };
        let csv = format!(
            "person,company,site,timestamp,direction\n\
             {q}p{q},c,s,2026-03-02T07:00:00+01:00,IN\n\
             p,c,{long},2026-03-02T08:00:00+01:00,IN\n\
             p,c,s,2026-03-02T16:00:00+01:00,OUT\n\
             {long}"
        );
        for chunk_bytes in [7, 64, 4 << 20] {
            for max in [100, 999] {
                let options = Options::default()
                    .with_max_line_bytes(max)
                    .with_chunk_bytes(chunk_bytes);
                let c = run_with(csv.as_bytes(), &options).unwrap();
                assert_eq!(
                    reasons(&c),
                    [
                        (
                            3,
                            "line longer than the limit (--max-line-bytes)".to_string()
                        ),
                        (
                            5,
                            "line longer than the limit (--max-line-bytes)".to_string()
                        ),
                    ],
                    "quoted {quoted}, chunk {chunk_bytes}, max {max}"
                );
                assert_eq!(tally(&c), (1, 0, 0, 0));
            }
        }
    }
    // A header longer than the limit is an error of the whole input.
    let header = format!("person,company,site,timestamp,direction,{long}\n");
    let err = run_with(
        header.as_bytes(),
        &Options::default().with_max_line_bytes(100),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("header is longer than 100 bytes"),
        "{err}"
    );
}
