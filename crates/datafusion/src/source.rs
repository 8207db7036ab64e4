//! Event files as tables: a Parquet file as it is, a CSV file with every
//! column as text (the functions read timestamps and identifiers as `compute`
//! does, so DataFusion must not guess types).

use std::io::{BufRead, BufReader, Read};

use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::common::{DataFusionError, Result};
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionContext};

/// The longest CSV header read (as `compute`'s default line limit).
const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// Registers the local event file at `path` as table `table` on `ctx`.
///
/// The file's kind comes from its first bytes, not its name: a file that
/// starts with `PAR1` is Parquet, anything else is CSV with a header line,
/// whose column names are trimmed and lower-cased (the SQL names them so) and
/// whose columns are all read as text.
///
/// # Errors
///
/// The file cannot be read, a CSV header is longer than 64 KiB or not UTF-8,
/// or DataFusion refuses the file.
pub async fn register_events(ctx: &SessionContext, table: &str, path: &str) -> Result<()> {
    let mut file = BufReader::new(std::fs::File::open(path)?);
    if file.fill_buf()?.starts_with(b"PAR1") {
        return ctx
            .register_parquet(table, path, ParquetReadOptions::default())
            .await;
    }
    let mut header = String::new();
    file.take(MAX_HEADER_BYTES).read_line(&mut header)?;
    if !header.ends_with('\n') && header.len() as u64 == MAX_HEADER_BYTES {
        return Err(DataFusionError::Execution(format!(
            "{path}: the header line is longer than {MAX_HEADER_BYTES} bytes"
        )));
    }
    let schema = Schema::new(
        header
            .trim_start_matches('\u{feff}')
            .trim_end_matches(['\r', '\n'])
            .split(',')
            .map(|name| Field::new(name.trim().to_lowercase(), DataType::Utf8, true))
            .collect::<Vec<_>>(),
    );
    ctx.register_csv(table, path, CsvReadOptions::new().schema(&schema))
        .await
}
