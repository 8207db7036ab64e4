//! `loggningsindex-scheduler`: a Ballista scheduler whose sessions know the
//! index's SQL functions. Executors: `loggningsindex-executor`.

use std::net::SocketAddr;
use std::process::ExitCode;

use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::scheduler_process::start_server;
use clap::Parser;

/// A Ballista scheduler for the ID06 Loggningsindex SQL.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to serve gRPC on (0.0.0.0:50050 for a cluster).
    #[arg(long, default_value = "127.0.0.1:50050")]
    bind: SocketAddr,
    /// Host name executors and clients reach this scheduler by.
    #[arg(long, default_value = "localhost")]
    external_host: String,
    /// IANA time zone of the sites: naive timestamps are read there.
    #[arg(long, default_value = loggningsindex_ballista::DEFAULT_ZONE)]
    zone: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let run = async {
        let mut config = loggningsindex_ballista::scheduler_config(&args.zone)?;
        config.bind_host = args.bind.ip().to_string();
        config.bind_port = args.bind.port();
        config.external_host = args.external_host.clone();
        let cluster = BallistaCluster::new_from_config(&config).await?;
        eprintln!("loggningsindex-scheduler: serving on {}", args.bind);
        start_server(cluster, args.bind, config.into()).await
    };
    match loggningsindex_ballista::runtime().and_then(|r| r.block_on(run)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loggningsindex-scheduler: {e}");
            ExitCode::FAILURE
        }
    }
}
