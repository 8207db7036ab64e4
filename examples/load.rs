//! A load test of the register service: many terminals registering at once
//! on 127.0.0.1, with latency percentiles and throughput, and optionally a
//! `kill -9` of the server under load and a restart. Afterwards the ledger is
//! exported and verified, and every request must be in it exactly once.
//!
//! ```text
//! cargo build --release --bin loggningsindex --example load
//! target/release/examples/load --terminals 64 --registrations 100000
//! target/release/examples/load --terminals 64 --registrations 100000 --kill-after 30000
//! ```
//!
//! Figures from this machine are in docs/service.md.

#[path = "../tests/support/load.rs"]
mod load;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use clap::Parser;
use load::{Server, Setup, check, drive, quantile};

/// Load the register service from many terminals.
#[derive(Parser)]
struct Args {
    /// Concurrent terminals, each at its own site with its own token.
    #[arg(long, default_value_t = 64)]
    terminals: usize,
    /// Registrations in all.
    #[arg(long, default_value_t = 100_000)]
    registrations: usize,
    /// Cards in the card register.
    #[arg(long, default_value_t = 20_000)]
    cards: usize,
    /// `kill -9` the server after this many acknowledgements, then restart it.
    #[arg(long)]
    kill_after: Option<usize>,
    /// The `loggningsindex` binary (default: the one beside this example's directory).
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Where to put the database (default: a new directory under the temp dir).
    #[arg(long)]
    dir: Option<PathBuf>,
}

fn main() {
    let args = Args::parse();
    let bin = args.bin.unwrap_or_else(|| {
        let me = std::env::current_exe().expect("this program's path");
        me.parent()
            .and_then(|d| d.parent())
            .expect("target/PROFILE")
            .join("loggningsindex")
    });
    let dir = args.dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("loggningsindex-load-{}", std::process::id()))
    });
    let _ = std::fs::remove_dir_all(&dir);
    let setup = Setup::new(&bin, &dir, args.terminals, args.cards);
    let per_terminal = args.registrations.div_ceil(args.terminals);
    let server = Server::start(&setup);
    let address = Arc::new(RwLock::new(server.address.clone()));
    let acked = Arc::new(AtomicUsize::new(0));
    let (load, killed) = std::thread::scope(|s| {
        let driver = s.spawn(|| drive(&setup, &address, per_terminal, &acked));
        let mut killed = None;
        let server = match args.kill_after {
            Some(n) => {
                while acked.load(Ordering::Relaxed) < n && !driver.is_finished() {
                    std::thread::sleep(Duration::from_millis(2));
                }
                server.kill();
                killed = Some(acked.load(Ordering::Relaxed));
                let restarted = Server::start(&setup);
                *address.write().unwrap() = restarted.address.clone();
                restarted
            }
            None => server,
        };
        let load = driver.join().expect("the driver");
        server.stop();
        (load, killed)
    });
    let n = load.acks.len();
    let seconds = load.elapsed.as_secs_f64();
    println!(
        "{n} registrations from {} terminals in {seconds:.1} s: {:.0}/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        args.terminals,
        n as f64 / seconds,
        quantile(&load.acks, 0.5),
        quantile(&load.acks, 0.99),
        quantile(&load.acks, 1.0),
    );
    if let Some(at) = killed {
        let replayed = load.acks.iter().filter(|a| a.replayed).count();
        println!(
            "killed (-9) after {at} acknowledgements; {} attempts retried, {replayed} of them found already stored (answered from the idempotency key)",
            load.retries
        );
    }
    let stored = check(&setup, &load.acks, &dir);
    println!(
        "ledger: {stored} entries, verified; every request stored exactly once, every acknowledged head matches"
    );
    let size = std::fs::metadata(&setup.db).map(|m| m.len()).unwrap_or(0);
    println!(
        "database: {:.1} MB ({:.0} bytes per registration)",
        size as f64 / 1e6,
        size as f64 / n.max(1) as f64
    );
}
