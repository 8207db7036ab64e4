//! Renderer tests: each renderer's output for a fixed input (RULES.md's worked
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
