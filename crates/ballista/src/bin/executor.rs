//! `loggningsindex-executor`: a Ballista executor that resolves the index's
//! SQL functions. Start `loggningsindex-scheduler` first.

use std::process::ExitCode;
use std::sync::Arc;

use ballista_executor::executor_process::start_executor_process;
use clap::Parser;

/// A Ballista executor for the ID06 Loggningsindex SQL.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The scheduler's host and gRPC port.
    #[arg(long, default_value = "localhost:50050")]
    scheduler: String,
    /// Local address to bind the executor's services to (0.0.0.0 for a cluster).
    #[arg(long, default_value = "127.0.0.1")]
    bind_host: String,
    /// Host name the scheduler and other executors reach this executor by.
    #[arg(long)]
    external_host: Option<String>,
    /// Port of the Arrow Flight service (shuffle and results).
    #[arg(long, default_value_t = 50051)]
    port: u16,
    /// Port of the gRPC service the scheduler pushes tasks to.
    #[arg(long, default_value_t = 50052)]
    grpc_port: u16,
    /// Tasks run at once (0: one per core).
    #[arg(long, default_value_t = 0)]
    vcores: usize,
    /// Directory for shuffle files (default: a new temporary directory).
    #[arg(long)]
    work_dir: Option<String>,
    /// IANA time zone of the sites: naive timestamps are read there.
    #[arg(long, default_value = loggningsindex_ballista::DEFAULT_ZONE)]
    zone: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let Some((host, port)) = args
        .scheduler
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
    else {
        eprintln!(
            "loggningsindex-executor: --scheduler {}: expected HOST:PORT",
            args.scheduler
        );
        return ExitCode::from(2);
    };
    let run = async {
        let mut config = loggningsindex_ballista::executor_config(&args.zone)?;
        config.scheduler_host = host;
        config.scheduler_port = port;
        config.bind_host = args.bind_host.clone();
        config.external_host = args.external_host.clone();
        config.port = args.port;
        config.grpc_port = args.grpc_port;
        config.vcores = args.vcores;
        config.work_dir = args.work_dir.clone();
        eprintln!(
            "loggningsindex-executor: serving on {}:{}, scheduler {}",
            args.bind_host, args.port, args.scheduler
        );
        start_executor_process(Arc::new(config)).await
    };
    match loggningsindex_ballista::runtime().and_then(|r| r.block_on(run)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loggningsindex-executor: {e}");
            ExitCode::FAILURE
        }
    }
}
