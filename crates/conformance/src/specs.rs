//! What the vectors test: every rule of docs/rules.md, each boundary, and
//! the reading rules of docs/formats.md. The expected results are not here:
//! they are generated from the reference ([`crate::expected`]).

/// One vector before generation: a short name, one line about what it
/// tests, and the event file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Short, for the directory name.
    pub name: String,
    /// One line: what it tests.
    pub about: String,
    /// The event file.
    pub csv: String,
}

const HEADER: &str = "person,company,site,timestamp,direction\n";
const KEY: &str = "p1,556677-8899,BPL-1";

/// One key's events: `(timestamp, direction)`.
fn one(events: &[(&str, &str)]) -> String {
    let mut csv = HEADER.to_string();
    for (at, direction) in events {
        csv.push_str(&format!("{KEY},{at},{direction}\n"));
    }
    csv
}

/// Rows of `person,company,site,timestamp,direction`.
fn rows(rows: &[&str]) -> String {
    let mut csv = HEADER.to_string();
    for row in rows {
        csv.push_str(row);
        csv.push('\n');
    }
    csv
}

/// Rows with an `origin` column.
fn with_origin(rows: &[&str]) -> String {
    let mut csv = "person,company,site,timestamp,direction,origin\n".to_string();
    for row in rows {
        csv.push_str(row);
        csv.push('\n');
    }
    csv
}

fn spec(name: &str, about: &str, csv: String) -> Spec {
    Spec {
        name: name.to_string(),
        about: about.to_string(),
        csv,
    }
}

/// Monday 2026-03-02 at `hh:mm:ss`, +01:00.
fn mon(time: &str) -> String {
    format!("2026-03-02T{time}+01:00")
}

/// Tuesday 2026-03-03 at `hh:mm:ss`, +01:00.
fn tue(time: &str) -> String {
    format!("2026-03-03T{time}+01:00")
}

/// Every vector, in order.
pub fn specs() -> Vec<Spec> {
    let mut all = worked_examples();
    all.extend(boundaries());
    all.extend(night_and_calendar());
    all.extend(keys_and_order());
    all.extend(origins());
    all.extend(reading());
    all.extend(registers());
    all
}

// Long by design: a table of vectors, one per line, not logic.
fn worked_examples() -> Vec<Spec> {
    let e = |n: u8, about: &str, events: &[(String, &str)]| {
        let events: Vec<(&str, &str)> = events.iter().map(|(t, d)| (t.as_str(), *d)).collect();
        Spec {
            name: format!("example-{n:02}"),
            about: format!("RULES §6 example {n}: {about}"),
            csv: one(&events),
        }
    };
    vec![
        e(
            1,
            "IN then OUT is correct",
            &[(mon("07:00:00"), "IN"), (mon("16:00:00"), "OUT")],
        ),
        e(
            2,
            "lunch does not matter",
            &[
                (mon("07:00:00"), "IN"),
                (mon("11:30:00"), "OUT"),
                (mon("12:15:00"), "IN"),
                (mon("16:00:00"), "OUT"),
            ],
        ),
        e(3, "IN only is missing OUT", &[(mon("07:00:00"), "IN")]),
        e(4, "OUT only is missing IN", &[(mon("16:00:00"), "OUT")]),
        e(
            5,
            "OUT then IN is missing both",
            &[(mon("07:00:00"), "OUT"), (mon("15:00:00"), "IN")],
        ),
        e(
            6,
            "14 hours split in two",
            &[(mon("06:00:00"), "IN"), (mon("20:00:00"), "OUT")],
        ),
        e(
            7,
            "exactly 13 hours is inside",
            &[(mon("06:00:00"), "IN"), (mon("19:00:00"), "OUT")],
        ),
        e(
            8,
            "a night shift belongs to its first day",
            &[(mon("22:00:00"), "IN"), (tue("07:00:00"), "OUT")],
        ),
        e(
            9,
            "a 14-hour night splits",
            &[(mon("18:00:00"), "IN"), (tue("08:00:00"), "OUT")],
        ),
        e(
            10,
            "a correction within 30 s at the start",
            &[
                (mon("07:00:00"), "OUT"),
                (mon("07:00:20"), "IN"),
                (mon("16:00:00"), "OUT"),
            ],
        ),
        e(
            11,
            "a stray tap within 30 s at the end",
            &[
                (mon("07:00:00"), "IN"),
                (mon("16:00:00"), "OUT"),
                (mon("16:00:25"), "IN"),
            ],
        ),
        e(
            12,
            "a tap 31 s after the OUT ends the shift",
            &[
                (mon("07:00:00"), "IN"),
                (mon("16:00:00"), "OUT"),
                (mon("16:00:31"), "IN"),
            ],
        ),
        e(
            13,
            "OUT then IN 10 s later, nothing else",
            &[(mon("07:00:00"), "OUT"), (mon("07:00:10"), "IN")],
        ),
        e(
            14,
            "a forgotten OUT and the next day's shift",
            &[
                (mon("07:00:00"), "IN"),
                (tue("07:00:00"), "IN"),
                (tue("16:00:00"), "OUT"),
            ],
        ),
        e(
            15,
            "a stray tap joins a night shift",
            &[
                (mon("22:00:00"), "IN"),
                (tue("06:00:00"), "OUT"),
                (tue("06:00:10"), "IN"),
            ],
        ),
        e(
            16,
            "a night shift then a day shift",
            &[
                (mon("22:00:00"), "IN"),
                (tue("06:00:00"), "OUT"),
                (tue("14:00:00"), "IN"),
                (tue("22:30:00"), "OUT"),
            ],
        ),
        e(
            19,
            "a night across the spring DST change",
            &[
                ("2026-03-28T22:00:00+01:00".into(), "IN"),
                ("2026-03-29T08:30:00+02:00".into(), "OUT"),
            ],
        ),
        e(
            20,
            "a morning IN alone, then an evening night shift",
            &[
                (mon("06:00:00"), "IN"),
                (mon("19:30:00"), "IN"),
                (tue("02:00:00"), "OUT"),
            ],
        ),
        Spec {
            name: "example-17".into(),
            about: "RULES §6 example 17: one person, cards of two companies: two keys".into(),
            csv: rows(&[
                &format!("p1,556677-8899,BPL-1,{},IN", mon("07:00:00")),
                &format!("p1,556677-8899,BPL-1,{},OUT", mon("12:00:00")),
                &format!("p1,559900-1122,BPL-1,{},IN", mon("12:30:00")),
                &format!("p1,559900-1122,BPL-1,{},OUT", mon("16:00:00")),
            ]),
        },
        Spec {
            name: "example-18".into(),
            about: "RULES §6 example 18: one person and card at two sites".into(),
            csv: rows(&[
                &format!("p1,556677-8899,X,{},IN", mon("07:00:00")),
                &format!("p1,556677-8899,X,{},OUT", mon("10:00:00")),
                &format!("p1,556677-8899,Y,{},IN", mon("11:00:00")),
            ]),
        },
    ]
}

// Long by design: a table of vectors, one per line, not logic.
fn boundaries() -> Vec<Spec> {
    let pair = |name, about: &str, a: String, da: &str, b: String, db: &str| {
        spec(name, about, one(&[(&a, da), (&b, db)]))
    };
    vec![
        pair(
            "window-12h59m59s",
            "13-hour window: 1 s inside",
            mon("06:00:00"),
            "IN",
            mon("18:59:59"),
            "OUT",
        ),
        pair(
            "window-13h00m01s",
            "13-hour window: 1 s outside splits the shift",
            mon("06:00:00"),
            "IN",
            mon("19:00:01"),
            "OUT",
        ),
        pair(
            "window-13h-fraction",
            "13-hour window: 13 h plus 1 ns is outside",
            mon("06:00:00"),
            "IN",
            "2026-03-02T19:00:00.000000001+01:00".into(),
            "OUT",
        ),
        pair(
            "window-13h-nanos-inside",
            "13-hour window: exactly 13 h with fractions is inside",
            "2026-03-02T06:00:00.5+01:00".into(),
            "IN",
            "2026-03-02T19:00:00.5+01:00".into(),
            "OUT",
        ),
        spec(
            "burst-start-29s",
            "30-second rule: a correction 29 s after the first tap",
            one(&[
                (&mon("07:00:00"), "OUT"),
                (&mon("07:00:29"), "IN"),
                (&mon("16:00:00"), "OUT"),
            ]),
        ),
        spec(
            "burst-start-30s",
            "30-second rule: a correction exactly 30 s after (inclusive)",
            one(&[
                (&mon("07:00:00"), "OUT"),
                (&mon("07:00:30"), "IN"),
                (&mon("16:00:00"), "OUT"),
            ]),
        ),
        spec(
            "burst-start-31s",
            "30-second rule: 31 s is too late to correct the start",
            one(&[
                (&mon("07:00:00"), "OUT"),
                (&mon("07:00:31"), "IN"),
                (&mon("16:00:00"), "OUT"),
            ]),
        ),
        spec(
            "burst-end-30s",
            "30-second rule: a stray IN exactly 30 s after the OUT",
            one(&[
                (&mon("07:00:00"), "IN"),
                (&mon("16:00:00"), "OUT"),
                (&mon("16:00:30"), "IN"),
            ]),
        ),
        spec(
            "burst-end-31s",
            "30-second rule: a stray IN 31 s after the OUT",
            one(&[
                (&mon("07:00:00"), "IN"),
                (&mon("16:00:00"), "OUT"),
                (&mon("16:00:31"), "IN"),
            ]),
        ),
        spec(
            "burst-both-ends",
            "corrections at both ends of one shift",
            one(&[
                (&mon("07:00:00"), "OUT"),
                (&mon("07:00:05"), "IN"),
                (&mon("16:00:00"), "OUT"),
                (&mon("16:00:05"), "IN"),
            ]),
        ),
        spec(
            "burst-out-before-in-same-instant",
            "IN and OUT at the same instant: IN sorts first",
            one(&[
                (&mon("07:00:00"), "OUT"),
                (&mon("07:00:00"), "IN"),
                (&mon("16:00:00"), "OUT"),
            ]),
        ),
        spec(
            "burst-whole-shift-in-30s",
            "a whole shift within 30 s: IN then OUT is correct",
            one(&[(&mon("07:00:00"), "IN"), (&mon("07:00:10"), "OUT")]),
        ),
        spec(
            "burst-only-outs",
            "two OUTs within 30 s and nothing else",
            one(&[(&mon("16:00:00"), "OUT"), (&mon("16:00:10"), "OUT")]),
        ),
        spec(
            "middle-does-not-matter",
            "taps in the middle of a shift never matter",
            one(&[
                (&mon("07:00:00"), "IN"),
                (&mon("09:00:00"), "IN"),
                (&mon("10:00:00"), "OUT"),
                (&mon("10:00:00"), "OUT"),
                (&mon("16:00:00"), "OUT"),
            ]),
        ),
        spec(
            "two-ins-same-instant",
            "duplicate rows are interchangeable",
            one(&[
                (&mon("07:00:00"), "IN"),
                (&mon("07:00:00"), "IN"),
                (&mon("16:00:00"), "OUT"),
            ]),
        ),
    ]
}

// Long by design: a table of vectors, one per line, not logic.
fn night_and_calendar() -> Vec<Spec> {
    let night = |name, about: &str, out: &str| {
        spec(
            name,
            about,
            one(&[(&mon("22:00:00"), "IN"), (&tue(out), "OUT")]),
        )
    };
    vec![
        night(
            "night-limit-inside",
            "night rule: OUT 13 h after the first IN (inclusive)",
            "11:00:00",
        ),
        night(
            "night-limit-outside",
            "night rule: OUT 13 h 1 s after the first IN is not taken",
            "11:00:01",
        ),
        spec(
            "night-measured-from-first-in",
            "night rule: the limit runs from the first IN, not the last",
            one(&[
                (&mon("18:00:00"), "IN"),
                (&mon("23:00:00"), "IN"),
                (&tue("07:30:00"), "OUT"),
            ]),
        ),
        spec(
            "night-tail-burst",
            "night rule: taps within 30 s after the OUT join",
            one(&[
                (&mon("22:00:00"), "IN"),
                (&tue("06:00:00"), "OUT"),
                (&tue("06:00:30"), "IN"),
            ]),
        ),
        spec(
            "night-tail-31s",
            "night rule: a tap 31 s after the OUT starts a new shift",
            one(&[
                (&mon("22:00:00"), "IN"),
                (&tue("06:00:00"), "OUT"),
                (&tue("06:00:31"), "IN"),
            ]),
        ),
        spec(
            "night-correct-shift-not-extended",
            "a correct shift never takes the next day's events",
            one(&[
                (&mon("20:00:00"), "IN"),
                (&mon("23:00:00"), "OUT"),
                (&tue("01:00:00"), "OUT"),
            ]),
        ),
        spec(
            "night-open-ending-out",
            "an open shift ending in OUT takes nothing more",
            one(&[(&mon("20:00:00"), "OUT"), (&tue("02:00:00"), "OUT")]),
        ),
        spec(
            "night-chain",
            "nights in a row: each its own shift",
            one(&[
                (&mon("22:00:00"), "IN"),
                (&tue("06:00:00"), "OUT"),
                (&tue("22:00:00"), "IN"),
                ("2026-03-04T06:00:00+01:00", "OUT"),
                ("2026-03-04T22:00:00+01:00", "IN"),
                ("2026-03-05T06:00:00+01:00", "OUT"),
            ]),
        ),
        spec(
            "night-chain-forgotten-out",
            "a chain with a forgotten OUT in the middle",
            one(&[
                (&mon("22:00:00"), "IN"),
                (&tue("22:00:00"), "IN"),
                ("2026-03-04T06:00:00+01:00", "OUT"),
            ]),
        ),
        spec(
            "night-two-days-later",
            "an OUT two days later is never taken",
            one(&[
                (&mon("22:00:00"), "IN"),
                ("2026-03-04T01:00:00+01:00", "OUT"),
            ]),
        ),
        spec(
            "midnight-last-second",
            "23:59:59 and 00:00:00 are different days",
            one(&[(&mon("23:59:59"), "OUT"), (&tue("00:00:00"), "IN")]),
        ),
        spec(
            "midnight-in-at-midnight",
            "an IN at 00:00:00 starts that day's shift",
            one(&[(&tue("00:00:00"), "IN"), (&tue("08:00:00"), "OUT")]),
        ),
        spec(
            "utc-written-stockholm-day",
            "a register that writes UTC: the local date decides",
            rows(&[
                "p1,556677-8899,BPL-1,2026-03-02T23:30:00Z,IN",
                "p1,556677-8899,BPL-1,2026-03-03T06:00:00Z,OUT",
            ]),
        ),
        spec(
            "dst-spring-13h-elapsed",
            "spring DST: the window counts elapsed time, not clock time",
            one(&[
                ("2026-03-29T00:30:00+01:00", "IN"),
                ("2026-03-29T14:30:00+02:00", "OUT"),
            ]),
        ),
        spec(
            "dst-spring-naive-gap",
            "spring DST: a naive time in the gap moves forward",
            rows(&[
                "p1,556677-8899,BPL-1,2026-03-29 02:30:00,IN",
                "p1,556677-8899,BPL-1,2026-03-29 10:00:00,OUT",
            ]),
        ),
        spec(
            "dst-autumn-naive-twice",
            "autumn DST: a naive time that occurs twice is the earlier",
            rows(&[
                "p1,556677-8899,BPL-1,2026-10-25 02:30:00,IN",
                "p1,556677-8899,BPL-1,2026-10-25 15:00:00,OUT",
            ]),
        ),
        spec(
            "dst-autumn-night",
            "a night across the autumn DST change (11 h elapsed)",
            one(&[
                ("2026-10-24T22:00:00+02:00", "IN"),
                ("2026-10-25T08:00:00+01:00", "OUT"),
            ]),
        ),
        spec(
            "dst-autumn-13h-wall-12h",
            "autumn DST: 12 h on the clock is 13 h elapsed (inside)",
            one(&[
                ("2026-10-25T00:30:00+02:00", "IN"),
                ("2026-10-25T12:30:00+01:00", "OUT"),
            ]),
        ),
        spec(
            "month-boundary",
            "a night shift on the last day of a month counts in that month",
            one(&[
                ("2026-03-31T22:00:00+02:00", "IN"),
                ("2026-04-01T06:00:00+02:00", "OUT"),
            ]),
        ),
        spec(
            "year-boundary",
            "New Year's Eve night shift",
            one(&[
                ("2026-12-31T22:00:00+01:00", "IN"),
                ("2027-01-01T06:00:00+01:00", "OUT"),
            ]),
        ),
    ]
}

fn keys_and_order() -> Vec<Spec> {
    vec![
        spec(
            "two-sites-one-day",
            "one person at two sites: two keys, two shifts",
            rows(&[
                &format!("p1,556677-8899,A,{},IN", mon("07:00:00")),
                &format!("p1,556677-8899,B,{},OUT", mon("16:00:00")),
            ]),
        ),
        spec(
            "two-companies-same-site",
            "one person, two companies' cards at one site",
            rows(&[
                &format!("p1,556677-8899,A,{},IN", mon("07:00:00")),
                &format!("p1,559900-1122,A,{},OUT", mon("16:00:00")),
            ]),
        ),
        spec(
            "many-companies",
            "three companies, sorted by id in byte order",
            rows(&[
                &format!("p1,c-b,A,{},IN", mon("07:00:00")),
                &format!("p1,c-b,A,{},OUT", mon("16:00:00")),
                &format!("p2,C-a,A,{},IN", mon("07:00:00")),
                &format!("p3,c-a,B,{},OUT", mon("16:00:00")),
            ]),
        ),
        spec(
            "individuals-distinct",
            "individuals count distinct people per group",
            rows(&[
                &format!("p1,c,A,{},IN", mon("07:00:00")),
                &format!("p1,c,A,{},OUT", mon("16:00:00")),
                &format!("p1,c,A,{},IN", tue("07:00:00")),
                &format!("p2,c,B,{},IN", mon("07:00:00")),
            ]),
        ),
        spec(
            "input-order-irrelevant",
            "rows in reverse time order give the same result",
            rows(&[
                &format!("p1,c,A,{},OUT", tue("06:00:00")),
                &format!("p1,c,A,{},IN", mon("22:00:00")),
                &format!("p1,c,A,{},OUT", mon("16:00:00")),
                &format!("p1,c,A,{},IN", mon("07:00:00")),
            ]),
        ),
        spec(
            "interleaved-keys",
            "events of several keys interleaved",
            rows(&[
                &format!("p1,c,A,{},IN", mon("07:00:00")),
                &format!("p2,c,A,{},IN", mon("07:00:05")),
                &format!("p1,c,A,{},OUT", mon("16:00:00")),
                &format!("p2,c,A,{},UT", mon("16:00:05")),
            ]),
        ),
        spec(
            "months-two",
            "shifts in two months of one company",
            rows(&[
                &format!("p1,c,A,{},IN", mon("07:00:00")),
                "p1,c,A,2026-04-01T07:00:00+02:00,IN",
                "p1,c,A,2026-04-01T16:00:00+02:00,OUT",
            ]),
        ),
        spec(
            "empty-after-header",
            "a header and no rows: no companies, null index",
            HEADER.to_string(),
        ),
    ]
}

fn origins() -> Vec<Spec> {
    vec![
        spec(
            "origin-auto-out",
            "RULES §7 example: an automatic OUT does not make a shift correct",
            with_origin(&[
                &format!("{KEY},{},IN,card", mon("07:00:00")),
                &format!("{KEY},{},OUT,auto", mon("23:59:00")),
            ]),
        ),
        spec(
            "origin-auto-in",
            "an automatic IN takes no part either",
            with_origin(&[
                &format!("{KEY},{},IN,auto", mon("07:00:00")),
                &format!("{KEY},{},OUT,card", mon("16:00:00")),
            ]),
        ),
        spec(
            "origin-only-auto",
            "a company with only auto events is listed, zero shifts, null index",
            with_origin(&[&format!("{KEY},{},OUT,auto", mon("23:59:00"))]),
        ),
        spec(
            "origin-auto-between",
            "an auto event inside a shift changes nothing",
            with_origin(&[
                &format!("{KEY},{},IN,card", mon("07:00:00")),
                &format!("{KEY},{},OUT,auto", mon("12:00:00")),
                &format!("{KEY},{},OUT,card", mon("16:00:00")),
            ]),
        ),
        spec(
            "origin-auto-would-split",
            "an auto event 14 h later does not split a shift",
            with_origin(&[
                &format!("{KEY},{},IN,card", mon("06:00:00")),
                &format!("{KEY},{},OUT,app", mon("15:00:00")),
                &format!("{KEY},{},OUT,auto", mon("20:00:00")),
            ]),
        ),
        spec(
            "origin-case-and-empty",
            "origins are case-insensitive; empty is unknown",
            with_origin(&[
                &format!("{KEY},{},IN,CARD", mon("07:00:00")),
                &format!("{KEY},{},OUT, Manual ", mon("16:00:00")),
                &format!("{KEY},{},IN,", tue("07:00:00")),
                &format!("{KEY},{},OUT,AUTO", tue("23:59:00")),
            ]),
        ),
        spec(
            "origin-unknown-rejected",
            "an unknown origin rejects the row",
            with_origin(&[
                &format!("{KEY},{},IN,card", mon("07:00:00")),
                &format!("{KEY},{},OUT,robot", mon("16:00:00")),
            ]),
        ),
        spec(
            "origin-auto-other-month",
            "auto events count in the month of their own local date",
            with_origin(&[
                &format!("{KEY},2026-03-31T22:00:00+02:00,IN,card"),
                &format!("{KEY},2026-04-01T00:00:00+02:00,OUT,auto"),
            ]),
        ),
        spec(
            "origin-auto-other-site",
            "auto events count at their own site",
            with_origin(&[
                &format!("p1,556677-8899,A,{},IN,card", mon("07:00:00")),
                &format!("p1,556677-8899,B,{},OUT,auto", mon("23:59:00")),
            ]),
        ),
    ]
}

// Long by design: a table of vectors, one per line, not logic.
fn reading() -> Vec<Spec> {
    let stamp =
        |name, about: &str, text: &str| spec(name, about, rows(&[&format!("{KEY},{text},IN")]));
    vec![
        spec(
            "read-column-order-and-case",
            "columns in any order, names in any case, unknown columns ignored",
            format!(
                "Direction,NOTE,Timestamp,SITE,company,Person\nIN,x,{},BPL-1,556677-8899,p1\nOUT,y,{},BPL-1,556677-8899,p1\n",
                mon("07:00:00"),
                mon("16:00:00")
            ),
        ),
        spec(
            "read-quoted-fields",
            "RFC 4180 quoting: commas and doubled quotes inside fields",
            format!(
                "{HEADER}\"p \"\"1\"\"\",\"556677-8899\",\"site, north\",{},IN\n\"p \"\"1\"\"\",556677-8899,\"site, north\",\"{}\",OUT\n",
                mon("07:00:00"),
                mon("16:00:00")
            ),
        ),
        spec(
            "read-quoted-line-break-rejected",
            "a quoted line break in an id is a control character: rejected",
            format!(
                "{HEADER}\"p\n1\",556677-8899,BPL-1,{},IN\n{KEY},{},IN\n",
                mon("07:00:00"),
                mon("08:00:00")
            ),
        ),
        spec(
            "read-trimming",
            "spaces and tabs around fields are trimmed",
            format!(
                "{HEADER} p1 ,\t556677-8899\t, BPL-1 , {} , in \n",
                mon("07:00:00")
            ),
        ),
        spec(
            "read-bom-crlf",
            "a UTF-8 byte-order mark and CRLF line endings",
            format!(
                "\u{feff}person,company,site,timestamp,direction\r\n{KEY},{},IN\r\n{KEY},{},OUT\r\n",
                mon("07:00:00"),
                mon("16:00:00")
            ),
        ),
        spec(
            "read-empty-lines",
            "completely empty lines are not records",
            format!(
                "{HEADER}\n{KEY},{},IN\n\n\n{KEY},{},OUT\n",
                mon("07:00:00"),
                mon("16:00:00")
            ),
        ),
        spec(
            "read-blank-line-is-a-record",
            "a line of spaces is a record with the wrong field count",
            format!("{HEADER}   \n{KEY},{},IN\n", mon("07:00:00")),
        ),
        spec(
            "read-field-count",
            "too few and too many fields are rejected",
            format!(
                "{HEADER}{KEY},{}\n{KEY},{},IN,extra\n{KEY},{},IN\n",
                mon("07:00:00"),
                mon("07:00:00"),
                mon("07:00:00")
            ),
        ),
        spec(
            "read-empty-ids",
            "an empty person, company or site rejects the row",
            format!(
                "{HEADER},556677-8899,BPL-1,{t},IN\np1,,BPL-1,{t},IN\np1,556677-8899, ,{t},IN\n{KEY},{t},IN\n",
                t = mon("07:00:00")
            ),
        ),
        spec(
            "read-directions",
            "IN, OUT and UT in any case; anything else rejected",
            format!(
                "{HEADER}{KEY},{},in\n{KEY},{},ut\n{KEY},{},Out\n{KEY},{},INN\n{KEY},{},\n",
                mon("07:00:00"),
                mon("12:00:00"),
                tue("16:00:00"),
                tue("17:00:00"),
                tue("18:00:00")
            ),
        ),
        stamp(
            "read-naive-space",
            "a naive local time with a space",
            "2026-03-02 07:00:00",
        ),
        stamp(
            "read-naive-t",
            "a naive local time with T",
            "2026-03-02T07:00:00",
        ),
        stamp(
            "read-lower-t-z",
            "lower-case t and z",
            "2026-03-02t06:00:00z",
        ),
        stamp(
            "read-fraction-1",
            "one fractional digit",
            "2026-03-02T07:00:00.5+01:00",
        ),
        stamp(
            "read-fraction-9",
            "nine fractional digits",
            "2026-03-02T07:00:00.123456789+01:00",
        ),
        stamp(
            "read-bad-fraction-10",
            "ten fractional digits: a bad timestamp",
            "2026-03-02T07:00:00.1234567890+01:00",
        ),
        stamp(
            "read-bad-missing-seconds",
            "missing seconds: a bad timestamp",
            "2026-03-02T07:00+01:00",
        ),
        stamp(
            "read-bad-offset-no-colon",
            "+0100: a bad timestamp",
            "2026-03-02T07:00:00+0100",
        ),
        stamp(
            "read-bad-hour-24",
            "24:00:00: a bad timestamp",
            "2026-03-02T24:00:00+01:00",
        ),
        stamp(
            "read-bad-second-60",
            "second 60: a bad timestamp",
            "2026-03-02T07:00:60+01:00",
        ),
        stamp(
            "read-bad-date",
            "30 February: a bad timestamp",
            "2026-02-30T07:00:00+01:00",
        ),
        stamp(
            "read-bad-empty-timestamp",
            "an empty timestamp rejects the row",
            "",
        ),
        stamp(
            "read-written-offset-other-zone",
            "a written offset far from the site's fixes only the instant",
            "2026-03-02T01:00:00-05:00",
        ),
        spec(
            "read-semicolons",
            "a Swedish spreadsheet export separated by semicolons",
            format!(
                "person;company;site;timestamp;direction\np1;556677-8899;BPL-1;{};IN\np1;556677-8899;BPL-1;{};OUT\n",
                mon("07:00:00"),
                mon("16:00:00")
            ),
        ),
        spec(
            "read-control-character",
            "an id with a control character is rejected",
            format!(
                "{HEADER}p\u{1}1,556677-8899,BPL-1,{},IN\n{KEY},{},IN\n",
                mon("07:00:00"),
                mon("08:00:00")
            ),
        ),
        spec(
            "read-card-column",
            "a card column is carried along and plays no part",
            format!(
                "person,company,site,timestamp,direction,card\n{KEY},{},IN,AB-1234567890\n{KEY},{},OUT,\n",
                mon("07:00:00"),
                mon("16:00:00")
            ),
        ),
    ]
}

/// Small registers of several people, companies and sites over a week,
/// from a fixed pseudo-random sequence: every rule at once.
fn registers() -> Vec<Spec> {
    (1..=20u64)
        .map(|seed| {
            let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut next = |n: u64| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state % n
            };
            let mut csv = HEADER.to_string();
            for _ in 0..(8 + next(30)) {
                let day = 2 + next(5);
                let minutes = next(24 * 60);
                let seconds = [0, 10, 20, 30, 31, 59][next(6) as usize];
                csv.push_str(&format!(
                    "p{},c{},s{},2026-03-{day:02}T{:02}:{:02}:{seconds:02}+01:00,{}\n",
                    next(3),
                    next(2),
                    next(2),
                    minutes / 60,
                    minutes % 60,
                    if next(2) == 0 { "IN" } else { "OUT" }
                ));
            }
            Spec {
                name: format!("register-{seed:02}"),
                about: format!(
                    "a small register of three people, two companies and two sites over a week (sequence {seed})"
                ),
                csv,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_least_a_hundred_vectors_with_unique_names() {
        let all = specs();
        assert!(all.len() >= 100, "{} vectors", all.len());
        let mut names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }
}
