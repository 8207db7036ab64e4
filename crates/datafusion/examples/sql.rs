//! The index as SQL on DataFusion: prints the SQL, runs it on an event file
//! (CSV or Parquet), and prints the result as `compute` writes it.
//!
//! ```text
//! cargo run --release -p loggningsindex-datafusion --example sql -- EVENTS.csv
//! cargo run --release -p loggningsindex-datafusion --example sql -- EVENTS.parquet
//! ```

use datafusion::prelude::SessionContext;
use loggningsindex_datafusion::{IndexSql, index, register, register_events};

#[tokio::main]
async fn main() -> datafusion::error::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: sql EVENTS.csv|EVENTS.parquet");
        std::process::exit(2);
    };
    let ctx = SessionContext::new();
    register(&ctx, &loggningsindex_zone::Zone::stockholm());
    register_events(&ctx, "events", &path).await?;
    let sql = IndexSql::of(&ctx, "events").await?;
    eprintln!("-- the SQL");
    eprintln!("{};\n{};", sql.records, sql.levels);
    let report = index(&ctx, "events").await?;
    println!(
        "{}",
        serde_json::to_string_pretty(&report)
            .map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?
    );
    Ok(())
}
