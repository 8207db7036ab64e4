//! The index as SQL on DataFusion: prints the SQL, runs it on an event file
//! (CSV or Parquet), and prints the result as `compute` writes it.
//!
//! ```text
//! cargo run --release -p loggningsindex-datafusion --example sql -- EVENTS.csv
//! cargo run --release -p loggningsindex-datafusion --example sql -- EVENTS.parquet
//! ```

use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionContext};
use loggningsindex_datafusion::{IndexSql, index, register};

#[tokio::main]
async fn main() -> datafusion::error::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: sql EVENTS.csv|EVENTS.parquet");
        std::process::exit(2);
    };
    let ctx = SessionContext::new();
    register(&ctx, "Europe/Stockholm");
    let mut first = [0u8; 4];
    let parquet = std::fs::File::open(&path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut first))
        .is_ok()
        && &first == b"PAR1";
    if parquet {
        ctx.register_parquet("events", &path, ParquetReadOptions::default())
            .await?;
    } else {
        // Every column as text: the functions read timestamps as compute does.
        let header = std::fs::read_to_string(&path)?
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        let fields: Vec<Field> = header
            .split(',')
            .map(|n| Field::new(n.trim(), DataType::Utf8, true))
            .collect();
        let schema = Schema::new(fields);
        ctx.register_csv("events", &path, CsvReadOptions::new().schema(&schema))
            .await?;
    }
    let sql = IndexSql::new("events", true);
    eprintln!("-- the SQL");
    for query in [
        &sql.records,
        &sql.totals,
        &sql.companies,
        &sql.sites,
        &sql.months,
    ] {
        eprintln!("{query};");
    }
    let report = index(&ctx, "events").await?;
    println!(
        "{}",
        serde_json::to_string_pretty(&report)
            .map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?
    );
    Ok(())
}
