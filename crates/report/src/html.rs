//! One self-contained HTML file (no network, no external assets): the data
//! set's overview, companies ranked worst first, and a section per company.

use std::io::Write;

use crate::error::Result;
use crate::model::{CompanyRow, Group, OTHER, Percentiles, Report};
use crate::render::ranked;
use crate::svg::{self, escape};

/// What the HTML page shows.
#[derive(Clone, Debug, Default)]
pub struct HtmlOptions {
    /// The page title.
    pub title: String,
    /// Only this company (its id in the report), shown under `display_name`
    /// — what a company sees after activating its report.
    pub only_company: Option<String>,
    /// The name to show for `only_company` (for instance its real
    /// organisationsnummer, when the report was made with the key).
    pub display_name: Option<String>,
    /// A line under the title: where the data came from.
    pub subtitle: String,
    /// The `--min-individuals` the report was suppressed with, to say so.
    pub min_individuals: u64,
    /// Distinct sites in the computed result, when the caller knows it: a
    /// suppressed report no longer names every site. Without it, the sites the
    /// report names are counted.
    pub sites: Option<u64>,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222;padding:0 1rem}\
h1{margin-bottom:.2rem}.sub{color:#666;margin-top:0}\
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:8rem}\
.card b{display:block;font-size:1.6rem}table{border-collapse:collapse;width:100%;font-size:.9rem}\
th,td{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:right}th:nth-child(2),td:nth-child(2){text-align:left}\
section.company{border-top:2px solid #eee;margin-top:2rem}figure{margin:.5rem 0}figcaption{font-size:.85rem;color:#555}\
.dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.3rem}footer{margin-top:3rem;color:#666;font-size:.85rem}";

fn index_text(index: Option<f64>) -> String {
    index.map_or("–".to_string(), |i| format!("{i:.1}"))
}

fn anchor(position: usize) -> String {
    format!("company-{position}")
}

/// Writes the HTML report.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_html<W: Write>(report: &Report, options: &HtmlOptions, mut out: W) -> Result<()> {
    let companies: Vec<&CompanyRow> = match &options.only_company {
        Some(id) => report
            .companies
            .iter()
            .filter(|c| &c.company == id)
            .collect(),
        None => ranked(report),
    };
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(
        out,
        r#"<html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>{}</title><style>{STYLE}</style></head><body>"#,
        escape(&options.title)
    )?;
    writeln!(
        out,
        "<header><h1>{}</h1><p class=\"sub\">{}</p></header>",
        escape(&options.title),
        escape(&options.subtitle)
    )?;
    if options.only_company.is_none() {
        overview(report, options.sites, &mut out)?;
        ranking(&companies, &mut out)?;
    }
    let percentiles = Percentiles::of(report);
    for (position, company) in companies.iter().enumerate() {
        let name = match (&options.only_company, &options.display_name) {
            (Some(_), Some(shown)) => shown.as_str(),
            _ => company.company.as_str(),
        };
        company_section(report, &percentiles, company, name, position, &mut out)?;
    }
    writeln!(
        out,
        "<footer><p>Company-level results only: no individual's shifts or index are shown. Site and month rows with fewer than {} individuals are folded into “{}”.</p><p>Index = 100 × correct shifts / all shifts; a shift is correct when it starts with a check-in and ends with a check-out (13-hour window, night-shift rule, 30-second correction rule).</p></footer></body></html>",
        options.min_individuals,
        escape(OTHER)
    )?;
    Ok(())
}

fn overview<W: Write>(report: &Report, sites: Option<u64>, out: &mut W) -> Result<()> {
    let named: std::collections::BTreeSet<&str> = report
        .companies
        .iter()
        .flat_map(|c| c.sites.iter().map(|s| s.site.as_str()))
        .filter(|s| *s != OTHER)
        .collect();
    let sites = sites.unwrap_or(named.len() as u64);
    let t = &report.totals;
    writeln!(
        out,
        r#"<section id="overview"><h2>Overview</h2><div class="cards">"#
    )?;
    for (label, value) in [
        ("index", index_text(t.index)),
        ("companies", report.companies.len().to_string()),
        ("sites", sites.to_string()),
        ("shifts", t.shifts.to_string()),
        ("individuals", t.individuals.to_string()),
        ("rows read", report.records.read.to_string()),
        ("rows rejected", report.records.rejected.to_string()),
        ("automatic check-outs", t.auto_events.to_string()),
    ] {
        writeln!(out, r#"<div class="card">{label}<b>{value}</b></div>"#)?;
    }
    writeln!(out, "</div>")?;
    let mut bins = [0u64; 10];
    for c in &report.companies {
        if let Some(i) = c.group.index {
            bins[((i / 10.0) as usize).min(9)] += 1;
        }
    }
    writeln!(
        out,
        r#"<figure id="histogram">{}<figcaption>Companies by index (tenths of the scale). Red below 70, amber below 90, green from 90.</figcaption></figure></section>"#,
        svg::histogram(&bins, "Distribution of company indexes")
    )?;
    Ok(())
}

fn ranking<W: Write>(companies: &[&CompanyRow], out: &mut W) -> Result<()> {
    let cards = companies.iter().any(|c| c.cards.is_some());
    writeln!(
        out,
        r#"<section id="ranking"><h2>Companies, worst first</h2><table><thead><tr><th>#</th><th>company</th><th>index</th><th>shifts</th><th>missing IN</th><th>missing OUT</th><th>missing both</th><th>individuals</th>{}</tr></thead><tbody>"#,
        if cards { "<th>invalid cards</th>" } else { "" }
    )?;
    for (position, c) in companies.iter().enumerate() {
        let g = &c.group;
        let card_cell = match (cards, c.cards) {
            (false, _) => String::new(),
            (true, Some(k)) => format!("<td>{} of {}</td>", k.invalid_card, k.with_card),
            (true, None) => "<td>–</td>".to_string(),
        };
        writeln!(
            out,
            r##"<tr><td>{}</td><td><span class="dot" style="background:{}"></span><a href="#{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{card_cell}</tr>"##,
            position + 1,
            svg::colour(g.index),
            anchor(position),
            escape(&c.company),
            index_text(g.index),
            g.shifts,
            g.missing_in,
            g.missing_out,
            g.missing_both,
            g.individuals
        )?;
    }
    writeln!(out, "</tbody></table></section>")?;
    Ok(())
}

fn company_section<W: Write>(
    report: &Report,
    percentiles: &Percentiles,
    c: &CompanyRow,
    name: &str,
    position: usize,
    out: &mut W,
) -> Result<()> {
    let g: &Group = &c.group;
    let standing = g
        .index
        .and_then(|i| percentiles.percentile(i))
        .map_or(String::new(), |p| {
            format!(
                " — better than {p:.0} % of the {} companies",
                report.companies.len()
            )
        });
    writeln!(
        out,
        r#"<section class="company" id="{}"><h2>{}</h2><p><b>Index {}</b> over {} shifts by {} individuals{}.</p>"#,
        anchor(position),
        escape(name),
        index_text(g.index),
        g.shifts,
        g.individuals,
        escape(&standing)
    )?;
    if g.auto_events > 0 {
        writeln!(
            out,
            r#"<p class="auto">Automatic check-outs (written by the register, not the person; not part of the index): {}.</p>"#,
            g.auto_events
        )?;
    }
    if let Some(f) = c.faults {
        writeln!(
            out,
            r#"<p class="faults">Register faults (not part of the index): {} double check-ins from two devices within a minute and {} registrations stored twice, of {} registrations.</p>"#,
            f.double_in, f.duplicate, f.registrations
        )?;
    }
    if let Some(share) = c.competence {
        writeln!(
            out,
            r#"<p class="competence">Required competence (not part of the index): {} of {} shifts lacked a certificate the site required ({} % with every one).</p>"#,
            share.shifts_without_required,
            share.shifts,
            share
                .percent_with()
                .map_or("–".to_string(), |p| format!("{p:.1}"))
        )?;
    }
    if let Some(k) = c.cards {
        writeln!(
            out,
            r#"<p class="cards">Card compliance (not part of the index): {} of {} registrations with a card used an unknown, blocked, expired or not yet valid card; {} named no card.</p>"#,
            k.invalid_card, k.with_card, k.without_card
        )?;
    }
    let months: Vec<(String, Option<f64>)> = c
        .months
        .iter()
        .map(|m| (m.month.clone(), m.group.index))
        .collect();
    writeln!(
        out,
        r#"<figure class="trend">{}<figcaption>Index per month of the work day.</figcaption></figure>"#,
        svg::trend(&months, &format!("Index per month: {name}"))
    )?;
    let sites: Vec<(String, Option<f64>, u64)> = c
        .sites
        .iter()
        .map(|s| (s.site.clone(), s.group.index, s.group.shifts))
        .collect();
    writeln!(
        out,
        r#"<figure class="sites">{}<figcaption>Index per site.</figcaption></figure>"#,
        svg::bars(&sites, &format!("Index per site: {name}"))
    )?;
    writeln!(
        out,
        r#"<figure class="breakdown">{}<figcaption>The {} deficient shifts by what was missing.</figcaption></figure></section>"#,
        svg::breakdown(
            g.missing_in,
            g.missing_out,
            g.missing_both,
            &format!("Deficient shifts: {name}")
        ),
        g.missing_in + g.missing_out + g.missing_both
    )?;
    Ok(())
}
