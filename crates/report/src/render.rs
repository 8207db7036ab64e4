//! Renderers: JSON, CSV and a Markdown table, each to any `io::Write`.

use std::cmp::Ordering;
use std::io::Write;

use crate::error::Result;
use crate::escape::{markdown_cell, spreadsheet_cell};
use crate::model::{Group, Report};

/// Writes the report as JSON, exactly as docs/formats.md describes, with a final
/// line break.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_json<W: Write>(report: &Report, mut out: W) -> Result<()> {
    // Formed in memory and written at once: serde_json writes a few bytes at
    // a time, and through a `dyn Write` each of those is a call (a national
    // result, 11 MB, took 0.29 s that way and a tenth of it this way).
    let mut json = serde_json::to_vec_pretty(report)?;
    json.push(b'\n');
    out.write_all(&json)?;
    Ok(())
}

/// The CSV header of [`write_csv`].
pub const CSV_HEADER: [&str; 12] = [
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
    "auto_events",
];

/// The columns [`write_csv`] adds when card compliance is attached
/// (`report --compliance`), filled on company rows.
pub const CSV_CARD_COLUMNS: [&str; 3] = ["with_card", "without_card", "invalid_card"];

/// The columns [`write_csv`] adds when register faults are attached
/// (`report --faults`), filled on company rows.
pub const CSV_FAULT_COLUMNS: [&str; 2] = ["double_in", "duplicate"];

/// The columns [`write_csv`] adds when required competence is attached
/// (`report --competence`), filled on company rows.
pub const CSV_COMPETENCE_COLUMNS: [&str; 2] = ["competence_shifts", "shifts_without_required"];

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
    let cards = report.companies.iter().any(|c| c.cards.is_some());
    let competence = report.companies.iter().any(|c| c.competence.is_some());
    let faults = report.companies.iter().any(|c| c.faults.is_some());
    let mut header = CSV_HEADER.to_vec();
    if cards {
        header.extend(CSV_CARD_COLUMNS);
    }
    if competence {
        header.extend(CSV_COMPETENCE_COLUMNS);
    }
    if faults {
        header.extend(CSV_FAULT_COLUMNS);
    }
    writer.write_record(&header)?;
    let mut row = |kind: &str,
                   company: &str,
                   site: &str,
                   month: &str,
                   g: &Group,
                   folded: bool,
                   row_of: Option<&crate::model::CompanyRow>| {
        let check = row_of.and_then(|c| c.cards);
        let share = row_of.and_then(|c| c.competence);
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
        fields.push(g.auto_events.to_string());
        if cards {
            // Compliance is a company figure: shown on company rows only.
            let check = check.map(|c| [c.with_card, c.without_card, c.invalid_card]);
            fields.extend((0..3).map(|i| check.map_or(String::new(), |c| c[i].to_string())));
        }
        if competence {
            let share = share.map(|s| [s.shifts, s.shifts_without_required]);
            fields.extend((0..2).map(|i| share.map_or(String::new(), |s| s[i].to_string())));
        }
        if faults {
            let f = row_of
                .and_then(|c| c.faults)
                .map(|f| [f.double_in, f.duplicate]);
            fields.extend((0..2).map(|i| f.map_or(String::new(), |f| f[i].to_string())));
        }
        writer.write_record(&fields)
    };
    row("total", "", "", "", &report.totals, false, None)?;
    for c in &report.companies {
        row("company", &c.company, "", "", &c.group, false, Some(c))?;
        for s in &c.sites {
            row(
                "company-site",
                &c.company,
                &s.site,
                "",
                &s.group,
                s.folded.is_some(),
                None,
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
                None,
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

/// Columns the Markdown table adds when the report has them: automatic
/// check-outs, card compliance. Each: header, the cell of a company, the
/// cell of the totals row.
type Extra = (
    &'static str,
    fn(&crate::model::CompanyRow) -> String,
    String,
);

fn extra_columns(report: &Report) -> Vec<Extra> {
    let mut extra: Vec<Extra> = Vec::new();
    if report.totals.auto_events > 0 {
        extra.push((
            "automatic check-outs",
            |c| c.group.auto_events.to_string(),
            report.totals.auto_events.to_string(),
        ));
    }
    if report.companies.iter().any(|c| c.competence.is_some()) {
        extra.push((
            "shifts with required certificates, %",
            |c| {
                c.competence
                    .and_then(|k| k.percent_with())
                    .map_or(String::new(), |p| format!("{p:.1}"))
            },
            String::new(),
        ));
    }
    if report.companies.iter().any(|c| c.faults.is_some()) {
        extra.push((
            "double registrations",
            |c| {
                c.faults
                    .map_or(String::new(), |f| (f.double_in + f.duplicate).to_string())
            },
            String::new(),
        ));
    }
    if report.companies.iter().any(|c| c.cards.is_some()) {
        extra.push((
            "registrations with a card",
            |c| c.cards.map_or(String::new(), |k| k.with_card.to_string()),
            String::new(),
        ));
        extra.push((
            "invalid card",
            |c| {
                c.cards
                    .map_or(String::new(), |k| k.invalid_card.to_string())
            },
            String::new(),
        ));
    }
    extra
}

/// Writes a Markdown table of the companies, worst first, with the totals as the
/// last row; `limit` keeps only the first rows. Automatic check-outs and card
/// compliance get columns of their own when the report has them.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_table<W: Write>(report: &Report, limit: Option<usize>, mut out: W) -> Result<()> {
    let index = |g: &Group| g.index.map_or("–".to_string(), |i| format!("{i:.1}"));
    let extra = extra_columns(report);
    let cells = |values: Vec<String>| values.iter().map(|v| format!(" {v} |")).collect::<String>();
    writeln!(
        out,
        "| rank | company | index | shifts | correct | missing IN | missing OUT | missing both | individuals |{}",
        cells(extra.iter().map(|e| e.0.to_string()).collect())
    )?;
    writeln!(
        out,
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|{}",
        "---:|".repeat(extra.len())
    )?;
    let ranked = ranked(report);
    let shown = limit.unwrap_or(ranked.len()).min(ranked.len());
    for (rank, c) in ranked.iter().take(shown).enumerate() {
        let g = &c.group;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |{}",
            rank + 1,
            markdown_cell(&c.company),
            index(g),
            g.shifts,
            g.correct,
            g.missing_in,
            g.missing_out,
            g.missing_both,
            g.individuals,
            cells(extra.iter().map(|e| (e.1)(c)).collect())
        )?;
    }
    if shown < ranked.len() {
        writeln!(
            out,
            "| … | {} more {} | | | | | | | |{}",
            ranked.len() - shown,
            companies(ranked.len() - shown),
            cells(vec![String::new(); extra.len()])
        )?;
    }
    let t = &report.totals;
    let all = match ranked.len() {
        1 => "the company".to_string(),
        n => format!("all {n} companies"),
    };
    writeln!(
        out,
        "| | **{all}** | **{}** | {} | {} | {} | {} | {} | {} |{}",
        index(t),
        t.shifts,
        t.correct,
        t.missing_in,
        t.missing_out,
        t.missing_both,
        t.individuals,
        cells(extra.iter().map(|e| e.2.clone()).collect())
    )?;
    Ok(())
}

/// "company" or "companies".
fn companies(n: usize) -> &'static str {
    if n == 1 { "company" } else { "companies" }
}
