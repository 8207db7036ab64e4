//! The same query on Ballista as on one machine: first with a scheduler and
//! an executor started in this process (standalone, gRPC on localhost), then
//! with this crate's `loggningsindex-scheduler` and `loggningsindex-executor`
//! as two processes on 127.0.0.1, as on a cluster.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use loggningsindex_datafusion::{index, register, register_events};
use loggningsindex_report::Report;
use loggningsindex_synth::{CsvOptions, Population};
use loggningsindex_zone::Zone;
use time::macros::date;

const ZONE: &str = "Europe/Stockholm";

/// A synthetic register as CSV in a directory of its own (removed on drop):
/// 20 companies over two weeks — lunches, forgotten check-outs, night
/// shifts, automatic check-outs.
struct Register {
    dir: PathBuf,
}

impl Register {
    fn new(name: &str) -> Register {
        let dir = std::env::temp_dir().join(format!(
            "loggningsindex-ballista-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let population = Population::builder()
            .seed(11)
            .companies(20)
            .dates(date!(2026 - 03 - 02), date!(2026 - 03 - 15))
            .build()
            .unwrap();
        let file = std::fs::File::create(dir.join("events.csv")).unwrap();
        let written = loggningsindex_synth::write_csv(
            &population,
            &CsvOptions::default(),
            std::io::BufWriter::new(file),
            |_| {},
        )
        .unwrap();
        assert!(written.events > 1_000, "{written:?}");
        Register { dir }
    }

    fn path(&self) -> String {
        self.dir.join("events.csv").to_str().unwrap().to_string()
    }
}

impl Drop for Register {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The index of `file` on `ctx`: the functions registered on it (a client
/// plans with them), the file as table `events`.
async fn index_of(ctx: &SessionContext, file: &Register) -> Report {
    register(ctx, &Zone::stockholm());
    register_events(ctx, "events", &file.path()).await.unwrap();
    index(ctx, "events").await.unwrap()
}

/// The index of `file` with DataFusion on one machine.
async fn on_one_machine(file: &Register) -> Report {
    let report = index_of(&SessionContext::new(), file).await;
    assert!(report.totals.shifts > 500 && report.companies.len() > 10);
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_on_standalone_ballista_equals_the_index_on_one_machine() {
    let file = Register::new("standalone");
    let expected = on_one_machine(&file).await;

    // The executor resolves functions by name from the state it is given.
    let state = SessionStateBuilder::new()
        .with_config(SessionConfig::new_with_ballista().with_target_partitions(4))
        .with_default_features()
        .build();
    let with_functions = SessionContext::new_with_state(state);
    register(&with_functions, &Zone::stockholm());
    let cluster = SessionContext::standalone_with_state(with_functions.state())
        .await
        .unwrap();
    // The client's context gets its function list anew: register again.
    assert_eq!(index_of(&cluster, &file).await, expected);
}

/// A child process, killed when the test ends however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.local_addr().unwrap().port()
}

/// Waits until something listens on `port` of 127.0.0.1, or the process
/// has died.
fn wait_for(port: u16, process: &mut Running) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if let Some(status) = process.0.try_wait().unwrap() {
            panic!("the process ended before it listened on {port}: {status}");
        }
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn start(binary: &str, args: &[String]) -> Running {
    Running(
        Command::new(binary)
            .args(args)
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_on_our_scheduler_and_executor_processes_equals_the_index_on_one_machine() {
    let file = Register::new("processes");
    let expected = on_one_machine(&file).await;

    let scheduler_port = free_port();
    let mut scheduler = start(
        env!("CARGO_BIN_EXE_loggningsindex-scheduler"),
        &[
            "--bind".into(),
            format!("127.0.0.1:{scheduler_port}"),
            "--external-host".into(),
            "127.0.0.1".into(),
        ],
    );
    wait_for(scheduler_port, &mut scheduler);
    let (flight, grpc) = (free_port(), free_port());
    let mut executor = start(
        env!("CARGO_BIN_EXE_loggningsindex-executor"),
        &[
            "--scheduler".into(),
            format!("127.0.0.1:{scheduler_port}"),
            "--bind-host".into(),
            "127.0.0.1".into(),
            "--external-host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            flight.to_string(),
            "--grpc-port".into(),
            grpc.to_string(),
            "--vcores".into(),
            "2".into(),
        ],
    );
    wait_for(flight, &mut executor);

    let cluster = SessionContext::remote(&format!("df://127.0.0.1:{scheduler_port}"))
        .await
        .unwrap();
    assert_eq!(index_of(&cluster, &file).await, expected);
    drop(executor);
    drop(scheduler);
}

#[test]
fn a_stock_registry_does_not_know_the_functions_and_ours_does() {
    use datafusion::execution::FunctionRegistry;
    let ours = loggningsindex_ballista::function_registry(ZONE).unwrap();
    for name in ["loggningsindex_reject", "loggningsindex_id"] {
        assert!(ours.udf(name).is_ok(), "{name}");
    }
    assert!(ours.udaf("loggningsindex_shifts").is_ok());
    assert!(ours.udaf("count").is_ok(), "the defaults stay");
    let stock = ballista_core::registry::BallistaFunctionRegistry::default();
    assert!(stock.udaf("loggningsindex_shifts").is_err());
}

#[test]
fn a_zone_that_does_not_exist_is_refused_at_start() {
    let refused = loggningsindex_ballista::scheduler_config("Europe/Atlantis");
    assert!(refused.is_err());
    let status = Command::new(env!("CARGO_BIN_EXE_loggningsindex-executor"))
        .args(["--zone", "Europe/Atlantis", "--scheduler", "127.0.0.1:1"])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!status.status.success());
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("Europe/Atlantis"), "{stderr}");
}
