//! Reports of the ID06 Loggningsindex that people open and understand.
//!
//! Every renderer writes to any [`std::io::Write`] and shows only company-level
//! results: never an individual's shifts or index. [`suppress`] folds site and
//! month rows with too few individuals into an "(other)" row before a report
//! is published.
//!
//! - [`write_json`]: exactly the JSON result of docs/formats.md;
//! - [`write_csv`]: one row per group, for spreadsheets;
//! - [`write_table`]: a Markdown table, worst first;
//! - [`write_html`]: one self-contained page with inline SVG charts.
//!
//! ```
//! use loggningsindex_bulk::{compute, Options, Verbatim};
//! use loggningsindex_report::{write_json, Report};
//!
//! let csv = "person,company,site,timestamp,direction\n\
//!            p1,556677-8899,BPL-1,2026-03-02T07:00:00+01:00,IN\n";
//! let result = compute(csv.as_bytes(), &Options::default(), &mut Verbatim, &mut |_| {})?;
//! let mut out = Vec::new();
//! write_json(&Report::new(result.records, &result.summary), &mut out)?;
//! let json: serde_json::Value = serde_json::from_slice(&out)?;
//! assert_eq!(json["companies"][0]["missing_out"], 1);
//! assert_eq!(json["totals"]["index"], 0.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What this crate does not do
//!
//! It computes nothing: it renders a [`loggningsindex_core::Summary`].
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod escape;
mod html;
mod model;
mod render;
mod suppress;
mod svg;

pub use error::{Error, Result};
pub use escape::{markdown_cell, spreadsheet_cell};
pub use html::{HtmlOptions, write_html};
pub use model::{
    CardCheck, CompanyRow, CompetenceShare, FaultCounts, Group, MonthRow, OTHER, Percentiles,
    Report, SCHEMA_VERSION, SiteRow, percent,
};
pub use render::{
    CSV_CARD_COLUMNS, CSV_COMPETENCE_COLUMNS, CSV_FAULT_COLUMNS, CSV_HEADER, ranked, write_csv,
    write_json, write_table,
};
pub use suppress::{DEFAULT_MIN_INDIVIDUALS, suppress, suppress_rows};
pub use svg::escape as html_text;
