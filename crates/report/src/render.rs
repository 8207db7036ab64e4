//! Renderers: JSON, CSV and a Markdown table, each to any `io::Write`.

use std::cmp::Ordering;
use std::io::Write;

use crate::error::Result;
use crate::escape::{markdown_cell, spreadsheet_cell};
use crate::model::{Group, Report};

/// Writes the report as JSON, exactly as FORMATS.md describes, with a final
/// line break.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_json<W: Write>(report: &Report, mut out: W) -> Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The CSV header of [`write_csv`].
pub const CSV_HEADER: [&str; 11] = [
    "kind",
    "company",
    "site",
    "month",
    "individuals",
    "shifts",
    "correct",
    "missing_in",
    "missing_out",
    "missing_both",
    "index",
];

/// Writes one row per group — `total`, `company`, `company-site`,
/// `company-month` — with every count and the index (empty when there is none).
/// Identifiers that a spreadsheet would take for a formula are written as
/// text (see [`spreadsheet_cell`]).
///
/// # Errors
///
/// Any error of `out`.
pub fn write_csv<W: Write>(report: &Report, out: W) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    let mut row = |kind: &str, company: &str, site: &str, month: &str, g: &Group, folded: bool| {
        // Distinct individuals do not add across folded rows: leave it empty.
        let individuals = if folded {
            String::new()
        } else {
            g.individuals.to_string()
        };
        let counts = [
            g.shifts,
            g.correct,
            g.missing_in,
            g.missing_out,
            g.missing_both,
        ];
        let mut fields: Vec<String> = vec![
            kind.into(),
            spreadsheet_cell(company).into_owned(),
            spreadsheet_cell(site).into_owned(),
            spreadsheet_cell(month).into_owned(),
            individuals,
        ];
        fields.extend(counts.iter().map(u64::to_string));
        fields.push(g.index.map_or(String::new(), |i| format!("{i:.1}")));
        writer.write_record(&fields)
    };
    row("total", "", "", "", &report.totals, false)?;
    for c in &report.companies {
        row("company", &c.company, "", "", &c.group, false)?;
        for s in &c.sites {
            row(
                "company-site",
                &c.company,
                &s.site,
                "",
                &s.group,
                s.folded.is_some(),
            )?;
        }
        for m in &c.months {
            row(
                "company-month",
                &c.company,
                "",
                &m.month,
                &m.group,
                m.folded.is_some(),
            )?;
        }
    }
    writer.flush()?;
    Ok(())
}

/// Companies ranked worst first: lowest index first, then most shifts, then
/// by id; companies without an index last.
pub fn ranked(report: &Report) -> Vec<&crate::model::CompanyRow> {
    let mut companies: Vec<_> = report.companies.iter().collect();
    companies.sort_by(|a, b| match (a.group.index, b.group.index) {
        (Some(x), Some(y)) => x
            .partial_cmp(&y)
            .unwrap_or(Ordering::Equal)
            .then(b.group.shifts.cmp(&a.group.shifts))
            .then(a.company.cmp(&b.company)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.company.cmp(&b.company),
    });
    companies
}

/// Writes a Markdown table of the companies, worst first, with the totals as the
/// last row; `limit` keeps only the first rows.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_table<W: Write>(report: &Report, limit: Option<usize>, mut out: W) -> Result<()> {
    let index = |g: &Group| g.index.map_or("–".to_string(), |i| format!("{i:.1}"));
    writeln!(
        out,
        "| rank | company | index | shifts | correct | missing IN | missing OUT | missing both | individuals |"
    )?;
    writeln!(out, "|---:|---|---:|---:|---:|---:|---:|---:|---:|")?;
    let ranked = ranked(report);
    let shown = limit.unwrap_or(ranked.len()).min(ranked.len());
    for (rank, c) in ranked.iter().take(shown).enumerate() {
        let g = &c.group;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            rank + 1,
            markdown_cell(&c.company),
            index(g),
            g.shifts,
            g.correct,
            g.missing_in,
            g.missing_out,
            g.missing_both,
            g.individuals
        )?;
    }
    if shown < ranked.len() {
        writeln!(
            out,
            "| … | {} more companies | | | | | | | |",
            ranked.len() - shown
        )?;
    }
    let t = &report.totals;
    writeln!(
        out,
        "| | **all {} companies** | **{}** | {} | {} | {} | {} | {} | {} |",
        ranked.len(),
        index(t),
        t.shifts,
        t.correct,
        t.missing_in,
        t.missing_out,
        t.missing_both,
        t.individuals
    )?;
    Ok(())
}
