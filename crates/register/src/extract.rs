//! The register extract for an inspection (*registerutdrag*): every
//! registration at a site in a period, with its corrections, complete.

use std::io::Write;

use loggningsindex_core::{Direction, Timestamp};
use loggningsindex_report::html_text;
use time::Date;

use crate::ledger::{Action, Entry, Head};

/// One registration of the extract, with the corrections made to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractRow {
    /// Its ledger sequence number.
    pub seq: u64,
    /// Who.
    pub person: String,
    /// For which company.
    pub company: String,
    /// With which card.
    pub card: String,
    /// When, as registered.
    pub at: Timestamp,
    /// Which way, as registered.
    pub direction: Direction,
    /// The reader or terminal.
    pub device: String,
    /// Corrections, in ledger order: sequence number, reason, what it did.
    pub corrections: Vec<(u64, String, String)>,
}

/// Every registration at `site` whose local day lies in `from..=to`, in
/// ledger order, with every correction that names it — voided ones too, so
/// that the inspector sees the register complete.
pub fn extract(entries: &[(u64, Entry)], site: &str, from: Date, to: Date) -> Vec<ExtractRow> {
    let mut rows: Vec<ExtractRow> = Vec::new();
    for (seq, entry) in entries {
        match entry {
            Entry::Registration(r)
                if r.site == site && (from..=to).contains(&r.at.local_date()) =>
            {
                rows.push(ExtractRow {
                    seq: *seq,
                    person: r.person.clone(),
                    company: r.company.clone(),
                    card: r.card.clone(),
                    at: r.at,
                    direction: r.direction,
                    device: r.device.clone(),
                    corrections: Vec::new(),
                });
            }
            Entry::Correction(c) => {
                if let Some(row) = rows.iter_mut().find(|row| row.seq == c.corrects) {
                    let what = match &c.action {
                        Action::Void => "void".to_string(),
                        Action::Replace { at, direction } => {
                            format!("replaced by {direction} at {at}")
                        }
                    };
                    row.corrections.push((*seq, c.reason.clone(), what));
                }
            }
            Entry::Registration(_) => {}
        }
    }
    rows
}

/// Writes the extract as one printable HTML page: the rows, the ledger's
/// head, and the commands that verify the ledger against it.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_extract_html<W: Write>(
    rows: &[ExtractRow],
    site: &str,
    (from, to): (Date, Date),
    head: &Head,
    ledger_name: &str,
    mut out: W,
) -> std::io::Result<()> {
    let e = html_text;
    writeln!(
        out,
        "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Registerutdrag {} {} – {}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}table{{border-collapse:collapse;width:100%;font-size:.9rem}}\
         th,td{{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}}th{{background:#f3f3f3}}\
         .c{{color:#a00}}td:not(.c){{white-space:nowrap}}footer{{margin-top:1.5rem;font-size:.85rem}}code{{font-size:.85rem}}\
         @media print{{body{{margin:0}}}}</style></head><body>",
        e(site),
        from,
        to
    )?;
    writeln!(
        out,
        "<h1>Register extract (personalliggare)</h1><p>Site <b>{}</b>, {} to {} (local days): {} registrations.</p>",
        e(site),
        from,
        to,
        rows.len()
    )?;
    writeln!(
        out,
        "<table><thead><tr><th>#</th><th>person</th><th>company</th><th>card</th><th>when</th><th>way</th><th>device</th><th>corrections</th></tr></thead><tbody>"
    )?;
    for r in rows {
        let corrections: Vec<String> = r
            .corrections
            .iter()
            .map(|(seq, reason, what)| format!("#{seq}: {} — {}", e(what), e(reason)))
            .collect();
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"c\">{}</td></tr>",
            r.seq,
            e(&r.person),
            e(&r.company),
            e(&r.card),
            r.at,
            r.direction,
            e(&r.device),
            corrections.join("<br>")
        )?;
    }
    writeln!(
        out,
        "</tbody></table><footer><p>Ledger head at extraction: <code>{}</code> ({} entries).</p>\
         <p>To verify that the ledger still holds everything up to this extract:</p>\
         <pre><code>loggningsindex ledger verify {} --head {}</code></pre></footer></body></html>",
        e(&head.published()),
        head.seq,
        e(ledger_name),
        e(&head.published())
    )?;
    Ok(())
}
