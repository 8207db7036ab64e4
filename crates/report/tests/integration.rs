//! Renderer tests: each renderer's output for a fixed input (docs/rules.md's worked
//! examples) against committed expected output, and the HTML parsed to check
//! that every section and chart is there.
//!
//! After an intended change of output, rerun with `UPDATE_EXPECTED=1` and
//! review the diff of `tests/expected/`.

use std::path::Path;

use loggningsindex_bulk::{Options, Verbatim, compute};
use loggningsindex_report::{
    HtmlOptions, OTHER, Report, suppress, write_csv, write_html, write_json, write_table,
};

fn worked_examples() -> Report {
    let csv = include_str!("data/worked-examples.csv");
    let result = compute(
        csv.as_bytes(),
        &Options::default(),
        &mut Verbatim,
        &mut |_| {},
    )
    .unwrap();
    Report::new(result.records, &result.summary)
}

fn check(name: &str, rendered: Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| panic!("missing {}", path.display()));
    assert!(
        rendered == expected,
        "{name} differs from tests/expected:\n{}",
        String::from_utf8_lossy(&rendered)
    );
}

#[test]
fn json_matches_expected() {
    let mut out = Vec::new();
    write_json(&worked_examples(), &mut out).unwrap();
    check("worked-examples.json", out);
}

#[test]
fn csv_matches_expected() {
    let mut out = Vec::new();
    write_csv(&worked_examples(), &mut out).unwrap();
    check("worked-examples.csv", out);
}

#[test]
fn markdown_matches_expected() {
    let mut out = Vec::new();
    write_table(&worked_examples(), None, &mut out).unwrap();
    check("worked-examples.md", out);
}

#[test]
fn suppressed_csv_matches_expected() {
    let mut out = Vec::new();
    write_csv(&suppress(&worked_examples(), 3), &mut out).unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    // BPL-2 (1 individual) and BPL-1 fold together; the company row is kept.
    assert!(
        text.contains(&format!(
            "company-site,556677-8899,{OTHER},,,26,14,3,8,1,53.8"
        )),
        "{text}"
    );
    check("worked-examples-suppressed.csv", out);
}

#[test]
fn json_round_trips() {
    let report = worked_examples();
    let mut out = Vec::new();
    write_json(&report, &mut out).unwrap();
    assert_eq!(Report::from_json(out.as_slice()).unwrap(), report);
}

/// Element names with their `id` and `class` attributes, in document order.
fn elements(html: &str) -> Vec<(String, String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(html);
    let mut found = Vec::new();
    loop {
        match reader.read_event().expect("well-formed HTML") {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default()
                };
                found.push((
                    String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                    attr(b"id"),
                    attr(b"class"),
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

#[test]
fn html_has_every_section_and_chart() {
    let report = suppress(&worked_examples(), 3);
    let options = HtmlOptions {
        title: "Test <report>".into(),
        min_individuals: 3,
        ..HtmlOptions::default()
    };
    let mut out = Vec::new();
    write_html(&report, &options, &mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    // Self-contained: no fetched asset; the only URL is the SVG namespace.
    assert!(!html.contains("src=") && !html.contains("<link") && !html.contains("url("));
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(html.contains("Test &lt;report&gt;"), "titles are escaped");
    let els = elements(&html);
    let has = |name: &str, id: &str| els.iter().any(|(n, i, _)| n == name && i == id);
    assert!(has("section", "overview") && has("figure", "histogram") && has("section", "ranking"));
    let svgs = els.iter().filter(|(n, _, _)| n == "svg").count();
    assert_eq!(
        svgs,
        1 + 3 * report.companies.len(),
        "a histogram, and three charts per company"
    );
    for position in 0..report.companies.len() {
        assert!(has("section", &format!("company-{position}")));
    }
    for class in ["chart trend", "chart bars", "chart breakdown"] {
        assert_eq!(
            els.iter().filter(|(_, _, c)| c == class).count(),
            report.companies.len(),
            "{class}"
        );
    }
    // Worst first: the 53.8 company is section 0.
    assert!(html.find("556677-8899").unwrap() < html.find("559900-1122").unwrap());
}

#[test]
fn html_for_one_company_shows_only_it_under_its_name() {
    let report = worked_examples();
    let options = HtmlOptions {
        title: "One".into(),
        only_company: Some("559900-1122".into()),
        display_name: Some("Företaget AB".into()),
        ..HtmlOptions::default()
    };
    let mut out = Vec::new();
    write_html(&report, &options, &mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    assert!(html.contains("Företaget AB") && html.contains("better than 50 % of the 2 companies"));
    assert!(!html.contains("556677-8899") && !html.contains("id=\"ranking\""));
}

// ---- small-group suppression against ground truth ---------------------------------

mod suppression {
    use std::collections::{BTreeMap, BTreeSet};

    use loggningsindex_report::{CompanyRow, Group, MonthRow, OTHER, Report, SiteRow, suppress};
    use proptest::prelude::*;

    /// One shift of a company: (person, site, month), all small numbers.
    type Shift = (u8, u8, u8);

    fn group(people: &BTreeSet<u8>, shifts: u64) -> Group {
        Group {
            individuals: people.len() as u64,
            shifts,
            correct: shifts,
            missing_in: 0,
            missing_out: 0,
            missing_both: 0,
            index: (shifts > 0).then_some(100.0),
            auto_events: 0,
        }
    }

    /// Who and how many shifts lie behind each row of one kind.
    fn cells(shifts: &[Shift], kind: fn(&Shift) -> u8) -> BTreeMap<u8, (BTreeSet<u8>, u64)> {
        let mut cells: BTreeMap<u8, (BTreeSet<u8>, u64)> = BTreeMap::new();
        for s in shifts {
            let cell = cells.entry(kind(s)).or_default();
            cell.0.insert(s.0);
            cell.1 += 1;
        }
        cells
    }

    fn report(shifts: &[Shift]) -> Report {
        let people: BTreeSet<u8> = shifts.iter().map(|s| s.0).collect();
        let company = group(&people, shifts.len() as u64);
        Report {
            schema_version: 1,
            records: Default::default(),
            totals: company,
            companies: vec![CompanyRow {
                company: "c".into(),
                group: company,
                sites: cells(shifts, |s| s.1)
                    .iter()
                    .map(|(site, (p, n))| SiteRow {
                        site: format!("s{site}"),
                        group: group(p, *n),
                        folded: None,
                    })
                    .collect(),
                months: cells(shifts, |s| s.2)
                    .iter()
                    .map(|(month, (p, n))| MonthRow {
                        month: format!("2026-{month:02}"),
                        group: group(p, *n),
                        folded: None,
                    })
                    .collect(),
                cards: None,
                competence: None,
                faults: None,
            }],
        }
    }

    /// Checks one kind of rows: every published cell and the remainder
    /// (company minus published rows) cover 0 or at least `k` people, or the
    /// remainder is the whole company (whose row is published anyway).
    fn check(
        truth: &BTreeMap<u8, (BTreeSet<u8>, u64)>,
        published: &[(String, Group)],
        name: fn(u8) -> String,
        everyone: &BTreeSet<u8>,
        k: u64,
    ) -> Result<(), TestCaseError> {
        let shown: BTreeSet<String> = published
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n != OTHER)
            .collect();
        let hidden: BTreeSet<u8> = truth
            .iter()
            .filter(|(id, _)| !shown.contains(&name(**id)))
            .flat_map(|(_, (people, _))| people.iter().copied())
            .collect();
        for (n, g) in published {
            if n == OTHER {
                prop_assert!(
                    hidden.len() as u64 >= k,
                    "(other) covers {} people",
                    hidden.len()
                );
                let hidden_shifts: u64 = truth
                    .iter()
                    .filter(|(id, _)| !shown.contains(&name(**id)))
                    .map(|(_, (_, s))| s)
                    .sum();
                prop_assert_eq!(g.shifts, hidden_shifts);
            } else {
                prop_assert!(g.individuals >= k, "{} covers {}", n, g.individuals);
            }
        }
        let other_published = published.iter().any(|(n, _)| n == OTHER);
        let remainder = if other_published {
            0
        } else {
            hidden.len() as u64
        };
        prop_assert!(
            remainder == 0 || remainder >= k || hidden == *everyone,
            "a remainder of {} people can be recovered",
            remainder
        );
        Ok(())
    }

    proptest! {
        #[test]
        fn prop_no_published_cell_or_remainder_describes_fewer_than_k(
            shifts in prop::collection::vec((0u8..12, 0u8..6, 1u8..5), 1..60),
            k in 1u64..6,
        ) {
            let suppressed = suppress(&report(&shifts), k);
            let company = &suppressed.companies[0];
            let everyone: BTreeSet<u8> = shifts.iter().map(|s| s.0).collect();
            let sites: Vec<(String, Group)> =
                company.sites.iter().map(|s| (s.site.clone(), s.group)).collect();
            check(&cells(&shifts, |s| s.1), &sites, |id| format!("s{id}"), &everyone, k)?;
            let months: Vec<(String, Group)> =
                company.months.iter().map(|m| (m.month.clone(), m.group)).collect();
            check(&cells(&shifts, |s| s.2), &months, |id| format!("2026-{id:02}"), &everyone, k)?;
        }
    }
}
