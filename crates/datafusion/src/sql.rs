//! The index in SQL: common table expressions over any table with the event columns, and
//! plain aggregates over them for the totals, companies, sites and months.

use std::collections::BTreeMap;

use datafusion::arrow::array::{Array, Int64Array, RecordBatch, StringArray};
use datafusion::common::{DataFusionError, Result};
use datafusion::prelude::SessionContext;
use loggningsindex_core::{CompanySummary, GroupStats, Summary, Tally, YearMonth};
use loggningsindex_format::Records;
use loggningsindex_report::Report;

/// The SQL of the index over table `table` (which must have the columns
/// `person`, `company`, `site`, `timestamp`, `direction`, and optionally
/// `origin`): two queries, with no view or other DDL (Ballista plans them as
/// they are).
///
/// `levels` forms the shifts once — in the common table expressions
/// `checked` (the rows `compute` accepts, identifiers trimmed) and `months`
/// (one row per person, company, site and month with that key's tallies) —
/// and aggregates them at every level of the result in one pass, with
/// `GROUPING SETS`: the whole, each company, each company and site, each
/// company and month. The columns `g_company`, `g_site` and `g_month` say
/// which level a row belongs to (`1`: not grouped by that column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexSql {
    /// Rows read and rows rejected.
    pub records: String,
    /// Distinct individuals and tallies at every level.
    pub levels: String,
}

/// The aggregates every level shares: distinct individuals with a shift,
/// and the sums of the tallies.
const MEASURES: &str = "CAST(count(DISTINCT CASE WHEN shifts > 0 THEN person END) AS BIGINT) AS individuals, \
     CAST(sum(correct) AS BIGINT) AS correct, CAST(sum(missing_in) AS BIGINT) AS missing_in, \
     CAST(sum(missing_out) AS BIGINT) AS missing_out, CAST(sum(missing_both) AS BIGINT) AS missing_both, \
     CAST(sum(auto_events) AS BIGINT) AS auto_events";

impl IndexSql {
    /// The SQL over table `table` of `ctx`, with or without its `origin`
    /// column as the table has one.
    ///
    /// # Errors
    ///
    /// No such table.
    pub async fn of(ctx: &SessionContext, table: &str) -> Result<IndexSql> {
        let schema = ctx.table(table).await?.schema().clone();
        let origin = schema
            .fields()
            .iter()
            .any(|f| f.name().eq_ignore_ascii_case("origin"));
        Ok(IndexSql::new(table, origin))
    }

    /// The SQL over `table`; `origin` says whether it has an `origin` column.
    pub fn new(table: &str, origin: bool) -> IndexSql {
        let origin = if origin { "origin" } else { "NULL" };
        let args = format!("person, company, site, timestamp, direction, {origin}");
        let with = format!(
            "WITH checked AS ( \
               SELECT loggningsindex_id(person) AS person, loggningsindex_id(company) AS company, \
                      loggningsindex_id(site) AS site, timestamp, direction, {origin} AS origin \
               FROM {table} WHERE loggningsindex_reject({args}) IS NULL), \
             tallies AS ( \
               SELECT person, company, site, \
                      loggningsindex_shifts(timestamp, direction, origin) AS tallies \
               FROM checked GROUP BY person, company, site), \
             unnested AS (SELECT person, company, site, unnest(tallies) AS m FROM tallies), \
             months AS ( \
               SELECT person, company, site, m['month'] AS month, m['shifts'] AS shifts, \
                      m['correct'] AS correct, m['missing_in'] AS missing_in, \
                      m['missing_out'] AS missing_out, m['missing_both'] AS missing_both, \
                      m['auto_events'] AS auto_events \
               FROM unnested)"
        );
        IndexSql {
            records: format!(
                "SELECT CAST(count(*) AS BIGINT) AS read, \
                 CAST(count(loggningsindex_reject({args})) AS BIGINT) AS rejected FROM {table}"
            ),
            levels: format!(
                "{with} SELECT company, site, month, \
                   CAST(grouping(company) AS BIGINT) AS g_company, \
                   CAST(grouping(site) AS BIGINT) AS g_site, \
                   CAST(grouping(month) AS BIGINT) AS g_month, {MEASURES} \
                 FROM months \
                 GROUP BY GROUPING SETS ((), (company), (company, site), (company, month))"
            ),
        }
    }
}

async fn rows(ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>> {
    ctx.sql(sql).await?.collect().await
}

fn text<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a StringArray> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| DataFusionError::Internal(format!("column {name} is not text")))
}

fn number(batch: &RecordBatch, name: &str, i: usize) -> Result<u64> {
    let column = batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<Int64Array>())
        .ok_or_else(|| DataFusionError::Internal(format!("column {name} is not BIGINT")))?;
    Ok(if column.is_null(i) {
        0
    } else {
        column.value(i).max(0) as u64
    })
}

fn stats(batch: &RecordBatch, i: usize) -> Result<GroupStats> {
    Ok(GroupStats {
        individuals: number(batch, "individuals", i)?,
        tally: Tally {
            correct: number(batch, "correct", i)?,
            missing_in: number(batch, "missing_in", i)?,
            missing_out: number(batch, "missing_out", i)?,
            missing_both: number(batch, "missing_both", i)?,
        },
        auto_events: number(batch, "auto_events", i)?,
    })
}

/// Computes the index of table `table` with the SQL of [`IndexSql`] and
/// returns it as `compute` would: the same JSON for the same rows
/// (identifiers counted as written, trimmed: run it on pseudonymised data,
/// as the index is meant to be).
///
/// # Errors
///
/// No such table, a table without the event columns, or an execution error.
pub async fn index(ctx: &SessionContext, table: &str) -> Result<Report> {
    let sql = IndexSql::of(ctx, table).await?;
    let mut records = Records::default();
    for batch in rows(ctx, &sql.records).await? {
        records.read += number(&batch, "read", 0)?;
        records.rejected += number(&batch, "rejected", 0)?;
    }
    records.accepted = records.read - records.rejected;
    let mut summary: Summary<String> = Summary::default();
    let mut companies: BTreeMap<String, CompanySummary<String>> = BTreeMap::new();
    for batch in rows(ctx, &sql.levels).await? {
        let names = text(&batch, "company")?;
        let (sites, months) = (text(&batch, "site")?, text(&batch, "month")?);
        for i in 0..batch.num_rows() {
            let stats = stats(&batch, i)?;
            if number(&batch, "g_company", i)? == 1 {
                summary.totals = stats;
                continue;
            }
            let company = companies.entry(names.value(i).to_string()).or_default();
            if number(&batch, "g_site", i)? == 0 {
                company.sites.insert(sites.value(i).to_string(), stats);
            } else if number(&batch, "g_month", i)? == 0 {
                let month: YearMonth = months
                    .value(i)
                    .parse()
                    .map_err(|_| DataFusionError::Internal("a month that is not YYYY-MM".into()))?;
                company.months.insert(month, stats);
            } else {
                company.stats = stats;
            }
        }
    }
    summary.companies = companies;
    Ok(Report::new(records, &summary))
}
