//! The ID06 Loggningsindex as SQL on Apache DataFusion, for data that lives
//! in a lake (Parquet, CSV, any object store) or on a Ballista cluster.
//!
//! [`register`] adds three functions to a [`SessionContext`]:
//!
//! - `loggningsindex_shifts(timestamp, direction, origin)` — an aggregate:
//!   grouped by person, company and site, it forms that key's shifts by the
//!   rules (the 13-hour window, the night rule, the 30-second correction),
//!   judges each, and returns a list of structs, one per month of the work
//!   day: `month`, `shifts`, `correct`, `missing_in`, `missing_out`,
//!   `missing_both`, `auto_events`.
//! - `loggningsindex_reject(person, company, site, timestamp, direction,
//!   origin)` — `NULL` for a row `compute` accepts, else the reason it rejects.
//! - `loggningsindex_id(x)` — an identifier as `compute` reads it.
//!
//! [`IndexSql`] is the SQL on top (common table expressions and one
//! `GROUP BY GROUPING SETS`, printed by `examples/sql.rs`), [`index`] runs it
//! and returns the result as `compute` writes it, and [`register_events`]
//! registers an event file (Parquet, or CSV read as text) as a table.
//!
//! Rows are grouped by person (with company and site), so partitioning the
//! data by person — as DataFusion's and Ballista's hash repartitioning does
//! for the `GROUP BY` — keeps every count exact, distinct individuals too.
//!
//! ```no_run
//! use datafusion::prelude::SessionContext;
//!
//! # async fn run() -> datafusion::error::Result<()> {
//! let ctx = SessionContext::new();
//! loggningsindex_datafusion::register(&ctx, &loggningsindex_zone::Zone::stockholm());
//! loggningsindex_datafusion::register_events(&ctx, "events", "events.csv").await?;
//! let report = loggningsindex_datafusion::index(&ctx, "events").await?;
//! println!("{}", report.totals.index.unwrap_or_default());
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod checks;
mod shifts;
mod source;
mod sql;

use std::hash::{Hash, Hasher};

use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datafusion::prelude::SessionContext;
use loggningsindex_zone::Zone;

pub use checks::{IdUdf, RejectUdf};
pub use shifts::{MONTH_FIELDS, ShiftsUdaf, shifts_type};
pub use source::register_events;
pub use sql::{IndexSql, index};

/// The three functions, for sites in `zone` (naive timestamps are read there,
/// local dates taken there).
pub fn functions(zone: &Zone) -> (AggregateUDF, ScalarUDF, ScalarUDF) {
    (
        AggregateUDF::from(ShiftsUdaf::new(zone)),
        ScalarUDF::from(RejectUdf::new(zone)),
        ScalarUDF::from(IdUdf::default()),
    )
}

/// Registers the functions on `ctx`, for sites in `zone`.
pub fn register(ctx: &SessionContext, zone: &Zone) {
    let (shifts, reject, id) = functions(zone);
    ctx.register_udaf(shifts);
    ctx.register_udf(reject);
    ctx.register_udf(id);
}

/// The site zone a function was made for, resolved once; functions compare
/// (DataFusion deduplicates them) by the zone's name.
#[derive(Clone, Debug)]
struct SiteZone(Zone);

impl PartialEq for SiteZone {
    fn eq(&self, other: &Self) -> bool {
        self.0.name() == other.0.name()
    }
}

impl Eq for SiteZone {}

impl Hash for SiteZone {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.name().hash(state);
    }
}
