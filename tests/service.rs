//! The register service as a process: many terminals at once, a `kill -9`
//! of the server under load and a restart — nothing acknowledged is lost,
//! nothing retried is stored twice, and the exported ledger verifies.

#[path = "support/load.rs"]
mod load;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use load::{Server, Setup, check, drive};

#[test]
fn a_killed_server_loses_nothing_acknowledged_and_stores_no_retry_twice() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("kill");
    let setup = Setup::new(env!("CARGO_BIN_EXE_loggningsindex").as_ref(), &dir, 64, 500);
    let server = Server::start(&setup);
    let address = Arc::new(RwLock::new(server.address.clone()));
    let acked = Arc::new(AtomicUsize::new(0));
    let per_terminal = 40;
    let load = {
        let (address_, acked_) = (Arc::clone(&address), Arc::clone(&acked));
        std::thread::scope(|s| {
            let driver = s.spawn(|| drive(&setup, &address_, per_terminal, &acked_));
            while acked.load(Ordering::Relaxed) < 64 * per_terminal / 3 && !driver.is_finished() {
                std::thread::sleep(Duration::from_millis(5));
            }
            server.kill();
            let killed_at = acked.load(Ordering::Relaxed);
            let restarted = Server::start(&setup);
            *address.write().unwrap() = restarted.address.clone();
            let load = driver.join().unwrap();
            restarted.stop();
            assert!(
                killed_at < 64 * per_terminal,
                "killed under load, at {killed_at}"
            );
            load
        })
    };
    assert_eq!(load.acks.len(), 64 * per_terminal);
    assert!(
        load.retries > 0,
        "some requests met the dead server and were retried"
    );
    assert_eq!(check(&setup, &load.acks, &dir), 64 * per_terminal);
}
