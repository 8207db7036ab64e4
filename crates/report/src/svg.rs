//! Small inline SVG charts for the HTML report.
//!
//! Written by hand: charting crates' SVG backends must measure text with a
//! font library (and a font file) even though the browser lays out SVG text
//! itself; the few charts here are simpler than that dependency.

use std::fmt::Write;

/// Escapes text for XML and HTML: `& < > " '` as entities.
///
/// ```
/// assert_eq!(loggningsindex_report::html_text("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const GOOD: &str = "#2e7d32";
const BAD: &str = "#c62828";
const MID: &str = "#f9a825";
const AXIS: &str = "#555";

/// A colour for an index: red below 70, amber below 90, green above.
pub(crate) fn colour(index: Option<f64>) -> &'static str {
    match index {
        Some(i) if i >= 90.0 => GOOD,
        Some(i) if i >= 70.0 => MID,
        Some(_) => BAD,
        None => "#9e9e9e",
    }
}

fn open(out: &mut String, class: &str, width: u32, height: u32, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}"><title>{}</title>"#,
        escape(title)
    );
}

/// Vertical bars: how many companies have an index in each tenth (0–10, …, 90–100).
pub(crate) fn histogram(bins: &[u64; 10], title: &str) -> String {
    let (w, h, left, bottom, top) = (520u32, 230u32, 40.0, 30.0, 20.0);
    let max = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let plot_h = f64::from(h) - bottom - top;
    let bar_w = (f64::from(w) - left - 10.0) / 10.0;
    let mut out = String::new();
    open(&mut out, "chart histogram", w, h, title);
    for (i, &n) in bins.iter().enumerate() {
        let bh = plot_h * n as f64 / max;
        let x = left + bar_w * i as f64;
        let y = top + plot_h - bh;
        let index = Some(i as f64 * 10.0 + 5.0);
        let _ = write!(
            out,
            r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}" fill="{}"><title>{}–{}: {n}</title></rect>"#,
            x + 2.0,
            bar_w - 4.0,
            colour(index),
            i * 10,
            i * 10 + 10
        );
        if n > 0 {
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{n}</text>"#,
                x + bar_w / 2.0,
                y - 3.0
            );
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" fill="{AXIS}">{}</text>"#,
            x + bar_w / 2.0,
            h - 12,
            i * 10
        );
    }
    let _ = write!(
        out,
        r#"<line x1="{left}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="{AXIS}"/><text x="{}" y="{}" font-size="11" text-anchor="end" fill="{AXIS}">index</text></svg>"#,
        top + plot_h,
        w - 10,
        top + plot_h,
        w - 10,
        h - 1
    );
    out
}

/// A line of the index per month (gaps where a month has no index), 0–100.
pub(crate) fn trend(points: &[(String, Option<f64>)], title: &str) -> String {
    let (w, h, left, bottom) = (520u32, 200u32, 40.0, 30.0);
    let plot_w = f64::from(w) - left - 20.0;
    let plot_h = f64::from(h) - bottom - 10.0;
    let step = if points.len() > 1 {
        plot_w / (points.len() - 1) as f64
    } else {
        0.0
    };
    let y_of = |v: f64| 10.0 + plot_h * (1.0 - v / 100.0);
    let mut out = String::new();
    open(&mut out, "chart trend", w, h, title);
    for v in [0.0, 50.0, 100.0] {
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="{AXIS}">{v}</text>"##,
            left + plot_w,
            left - 4.0,
            y_of(v) + 4.0,
            y = y_of(v)
        );
    }
    let mut path = String::new();
    let mut pen_down = false;
    for (i, (label, value)) in points.iter().enumerate() {
        let x = left + step * i as f64;
        match value {
            Some(v) => {
                let _ = write!(
                    path,
                    "{}{x:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    y_of(*v)
                );
                pen_down = true;
                let _ = write!(
                    out,
                    r#"<circle cx="{x:.1}" cy="{:.1}" r="3" fill="{}"><title>{}: {v:.1}</title></circle>"#,
                    y_of(*v),
                    colour(Some(*v)),
                    escape(label)
                );
            }
            None => pen_down = false,
        }
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{}" font-size="10" text-anchor="middle" fill="{AXIS}">{}</text>"#,
            h - 12,
            escape(label)
        );
    }
    let _ = write!(
        out,
        r#"<path d="{}" fill="none" stroke="{AXIS}" stroke-width="1.5"/></svg>"#,
        path.trim_end()
    );
    out
}

/// Horizontal bars: the index per row (sites), with shift counts.
pub(crate) fn bars(rows: &[(String, Option<f64>, u64)], title: &str) -> String {
    let row_h = 22u32;
    let (w, label_w) = (520u32, 170.0);
    let h = 10 + row_h * rows.len() as u32;
    let plot_w = f64::from(w) - label_w - 90.0;
    let mut out = String::new();
    open(&mut out, "chart bars", w, h, title);
    for (i, (label, index, shifts)) in rows.iter().enumerate() {
        let y = 5.0 + f64::from(row_h) * i as f64;
        let bw = plot_w * index.unwrap_or(0.0) / 100.0;
        let shown = index.map_or("–".to_string(), |v| format!("{v:.1}"));
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end">{}</text><rect x="{label_w}" y="{y:.1}" width="{bw:.1}" height="{}" fill="{}"><title>{}: {shown} ({shifts} shifts)</title></rect><text x="{:.1}" y="{:.1}" font-size="11" fill="{AXIS}">{shown} · {shifts} shifts</text>"#,
            label_w - 6.0,
            y + 14.0,
            escape(label),
            row_h - 6,
            colour(*index),
            escape(label),
            label_w + bw + 4.0,
            y + 14.0
        );
    }
    out.push_str("</svg>");
    out
}

/// One stacked bar of the deficient shifts: missing IN, missing OUT, both.
pub(crate) fn breakdown(
    missing_in: u64,
    missing_out: u64,
    missing_both: u64,
    title: &str,
) -> String {
    let (w, h) = (520u32, 60u32);
    let total = (missing_in + missing_out + missing_both).max(1) as f64;
    let parts = [
        ("missing IN", missing_in, "#6a1b9a"),
        ("missing OUT", missing_out, "#ef6c00"),
        ("missing both", missing_both, "#37474f"),
    ];
    let mut out = String::new();
    open(&mut out, "chart breakdown", w, h, title);
    let mut x = 0.0;
    for (i, (name, n, fill)) in parts.iter().enumerate() {
        let bw = f64::from(w) * *n as f64 / total;
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="0" width="{bw:.1}" height="24" fill="{fill}"><title>{name}: {n}</title></rect><rect x="{}" y="36" width="10" height="10" fill="{fill}"/><text x="{}" y="45" font-size="11">{name}: {n}</text>"#,
            170 * i,
            170 * i + 14
        );
        x += bw;
    }
    out.push_str("</svg>");
    out
}
