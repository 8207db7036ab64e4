//! The same query on Ballista: a scheduler and an executor started in this
//! process (standalone, talking gRPC on localhost), the functions registered
//! where the executor resolves them by name, and the same result as
//! DataFusion on one machine.

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{CsvReadOptions, SessionConfig, SessionContext};

/// A register written as CSV: 8 people, 3 companies, 2 sites, two weeks,
/// with forgotten check-outs, night shifts and `auto` rows.
fn register(path: &std::path::Path) {
    let mut csv = String::from("person,company,site,timestamp,direction,origin\n");
    for day in 2..16 {
        for p in 0..8u32 {
            let (company, site) = (p % 3, p % 2);
            let (start, end) = if p == 7 { (22, 6) } else { (7, 16) };
            let next = if p == 7 { day + 1 } else { day };
            csv.push_str(&format!(
                "p{p},c{company},s{site},2026-03-{day:02}T{start:02}:0{p}:00+01:00,IN,card\n"
            ));
            if (day + p) % 5 != 0 {
                csv.push_str(&format!(
                    "p{p},c{company},s{site},2026-03-{next:02}T{end:02}:1{p}:00+01:00,OUT,card\n"
                ));
            } else if p % 2 == 0 {
                csv.push_str(&format!(
                    "p{p},c{company},s{site},2026-03-{day:02}T23:59:00+01:00,OUT,auto\n"
                ));
            }
        }
    }
    std::fs::write(path, csv).unwrap();
}

fn text_schema() -> Schema {
    let names = [
        "person",
        "company",
        "site",
        "timestamp",
        "direction",
        "origin",
    ];
    Schema::new(
        names
            .iter()
            .map(|n| Field::new(*n, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_on_ballista_equals_the_index_on_one_machine() {
    let dir = std::env::temp_dir().join(format!("loggningsindex-ballista-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.csv");
    register(&path);
    let schema = text_schema();
    let options = || CsvReadOptions::new().schema(&schema);

    let local = SessionContext::new();
    loggningsindex_datafusion::register(&local, "Europe/Stockholm");
    local
        .register_csv("events", path.to_str().unwrap(), options())
        .await
        .unwrap();
    let expected = loggningsindex_datafusion::index(&local, "events")
        .await
        .unwrap();
    assert!(expected.totals.shifts > 100);

    // The executor resolves functions by name from the state it is given.
    let state = SessionStateBuilder::new()
        .with_config(SessionConfig::new_with_ballista().with_target_partitions(4))
        .with_default_features()
        .build();
    let with_functions = SessionContext::new_with_state(state);
    loggningsindex_datafusion::register(&with_functions, "Europe/Stockholm");
    let state = with_functions.state();
    let cluster = SessionContext::standalone_with_state(state).await.unwrap();
    // The client's context gets its function list anew: register again.
    loggningsindex_datafusion::register(&cluster, "Europe/Stockholm");
    cluster
        .register_csv("events", path.to_str().unwrap(), options())
        .await
        .unwrap();
    let got = loggningsindex_datafusion::index(&cluster, "events")
        .await
        .unwrap();
    assert_eq!(got, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}
