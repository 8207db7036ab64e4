//! A load on the register service from many terminals at once, with an
//! optional `kill -9` of the server halfway: the driver behind
//! `examples/load.rs` and `tests/service.rs`. Every request carries an
//! `Idempotency-Key` and is retried, same key and same body, until it is
//! acknowledged; afterwards the exported ledger must hold each request
//! exactly once, and every acknowledgement must match it.
#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A database with cards and one terminal token per site.
pub struct Setup {
    /// The `loggningsindex` binary.
    pub bin: PathBuf,
    /// The database.
    pub db: PathBuf,
    /// `(site, token)` per terminal.
    pub terminals: Vec<(String, String)>,
    /// Card numbers.
    pub cards: Vec<String>,
}

/// Nine digits and their Luhn check digit.
fn luhn(nine: &str) -> String {
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(k, b)| {
            let d = u32::from(b - b'0') * if k % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    format!("{nine}{}", (10 - sum % 10) % 10)
}

/// A valid personnummer for person `i`.
fn personnummer(i: usize) -> String {
    let (month, day, serial) = (1 + i % 12, 1 + (i / 12) % 28, 2 + (i / 336) % 997);
    format!("19{}", luhn(&format!("80{month:02}{day:02}{serial:03}")))
}

/// A valid organisationsnummer for company `i`.
fn organisationsnummer(i: usize) -> String {
    let ten = luhn(&format!("5560{:05}", i));
    format!("{}-{}", &ten[..6], &ten[6..])
}

fn run(bin: &Path, args: &[&str]) -> String {
    let out = Command::new(bin)
        .args(args)
        .output()
        .expect("run loggningsindex");
    assert!(
        out.status.success(),
        "loggningsindex {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

impl Setup {
    /// `cards` cards at 20 companies and `terminals` sites, in `dir`.
    pub fn new(bin: &Path, dir: &Path, terminals: usize, cards: usize) -> Setup {
        std::fs::create_dir_all(dir).unwrap();
        let db = dir.join("register.db");
        let file = dir.join("cards.csv");
        let mut csv = String::from("card,holder,company,valid_from,valid_to,name\n");
        let numbers: Vec<String> = (0..cards).map(|i| format!("LT-{:010}", i + 1)).collect();
        for (i, number) in numbers.iter().enumerate() {
            let company = organisationsnummer(i % 20);
            csv.push_str(&format!(
                "{number},{},{company},2020-01-01,2099-12-31,Person {i}\n",
                personnummer(i)
            ));
        }
        std::fs::write(&file, csv).unwrap();
        let db_arg = db.to_str().unwrap();
        let imported = run(
            bin,
            &["cards", "import", "--db", db_arg, file.to_str().unwrap()],
        );
        assert!(
            imported.starts_with(&format!("{cards} cards added")),
            "{imported}"
        );
        let terminals = (0..terminals)
            .map(|t| {
                let site = format!("SITE-{t}");
                let token = run(
                    bin,
                    &[
                        "token", "create", "--db", db_arg, "--role", "terminal", "--scope", &site,
                    ],
                );
                (site, token.trim().to_string())
            })
            .collect();
        Setup {
            bin: bin.to_path_buf(),
            db,
            terminals,
            cards: numbers,
        }
    }
}

/// A running `loggningsindex serve`.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub address: String,
}

impl Server {
    /// Starts the server on a free port and waits until it is ready.
    pub fn start(setup: &Setup) -> Server {
        let mut child = Command::new(&setup.bin)
            .args([
                "serve",
                "--db",
                setup.db.to_str().unwrap(),
                "--listen",
                "127.0.0.1:0",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .expect("the ready line")
            .to_string();
        Server { child, address }
    }

    /// `kill -9`.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and wait for a clean stop.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        self.child.wait().unwrap();
    }
}

/// One acknowledged request.
#[derive(Clone, Debug)]
pub struct Ack {
    /// Its idempotency key.
    pub key: String,
    /// The entry and head the server answered.
    pub entry: u64,
    pub head: String,
    /// From the send that was acknowledged to its answer.
    pub latency: Duration,
    /// Whether the server answered from an earlier attempt (stored before a crash).
    pub replayed: bool,
}

/// What a load did.
pub struct Load {
    /// Every request, acknowledged.
    pub acks: Vec<Ack>,
    /// Failed attempts (connection refused while the server was down, 503).
    pub retries: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// Sends `per_terminal` registrations from each terminal at once, retrying
/// until each is acknowledged. `address` may be changed under way (a
/// restarted server); `acked` counts acknowledgements as they come.
pub fn drive(
    setup: &Setup,
    address: &Arc<RwLock<String>>,
    per_terminal: usize,
    acked: &Arc<AtomicUsize>,
) -> Load {
    let start = Instant::now();
    let retries = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = setup
        .terminals
        .iter()
        .enumerate()
        .map(|(t, (site, token))| {
            let (site, token, cards) = (site.clone(), token.clone(), setup.cards.clone());
            let (address, acked, retries) = (Arc::clone(address), Arc::clone(acked), Arc::clone(&retries));
            std::thread::spawn(move || {
                let agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(30)))
                    .build()
                    .new_agent();
                let mut acks = Vec::with_capacity(per_terminal);
                for i in 0..per_terminal {
                    let card = &cards[(t * 7919 + i) % cards.len()];
                    let direction = if (i / cards.len().max(1)) % 2 == 0 { "IN" } else { "OUT" };
                    let at = OffsetDateTime::now_utc().format(&Rfc3339).unwrap();
                    let body = format!(r#"{{"card":"{card}","site":"{site}","direction":"{direction}","at":"{at}","origin":"card"}}"#);
                    let key = format!("{site}/{i}");
                    loop {
                        let url = format!("{}/v1/registrations", address.read().unwrap());
                        let sent = Instant::now();
                        let answer = agent
                            .post(&url)
                            .header("authorization", format!("Bearer {token}"))
                            .header("idempotency-key", &key)
                            .header("content-type", "application/json")
                            .send(&body);
                        match answer {
                            Ok(mut r) if r.status() == 201 => {
                                let replayed = r.headers().contains_key("idempotent-replayed");
                                let v: serde_json::Value = r.body_mut().read_json().unwrap();
                                acks.push(Ack {
                                    key: key.clone(),
                                    entry: v["entry"].as_u64().unwrap(),
                                    head: v["head"].as_str().unwrap().to_string(),
                                    latency: sent.elapsed(),
                                    replayed,
                                });
                                acked.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                            Ok(r) if r.status() != 503 => {
                                panic!("{key}: {}", r.status());
                            }
                            _ => {
                                retries.fetch_add(1, Ordering::Relaxed);
                                std::thread::sleep(Duration::from_millis(50));
                            }
                        }
                    }
                }
                acks
            })
        })
        .collect();
    let acks = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    Load {
        acks,
        retries: retries.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
    }
}

/// Exports the ledger, verifies it with `ledger verify`, and checks it
/// against the acknowledgements: as many registrations as requests, each
/// acknowledged entry with the hash it was acknowledged with. Returns the
/// number of entries.
pub fn check(setup: &Setup, acks: &[Ack], dir: &Path) -> usize {
    let ledger = dir.join("export.ledger");
    let _ = std::fs::remove_file(&ledger);
    let _ = std::fs::remove_file(dir.join("export.ledger.head"));
    let bin = &setup.bin;
    run(
        bin,
        &[
            "ledger",
            "export",
            "--db",
            setup.db.to_str().unwrap(),
            "-o",
            ledger.to_str().unwrap(),
        ],
    );
    run(bin, &["ledger", "verify", ledger.to_str().unwrap()]);
    let text = std::fs::read_to_string(&ledger).unwrap();
    let hashes: Vec<&str> = text
        .lines()
        .map(|l| l.split('\t').nth(2).unwrap())
        .collect();
    assert_eq!(hashes.len(), acks.len(), "each request stored exactly once");
    for ack in acks {
        assert_eq!(
            hashes[ack.entry as usize - 1],
            ack.head,
            "{}: the acknowledged head",
            ack.key
        );
    }
    // A few acknowledged heads, checked as a third party would.
    for ack in acks.iter().step_by(acks.len().div_ceil(4).max(1)) {
        let published = format!("{}:{}", ack.entry, ack.head);
        run(
            bin,
            &[
                "ledger",
                "verify",
                ledger.to_str().unwrap(),
                "--head",
                &published,
            ],
        );
    }
    let mut keys: Vec<&str> = acks.iter().map(|a| a.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), acks.len());
    hashes.len()
}

/// The `q`-quantile of the latencies, in milliseconds.
pub fn quantile(acks: &[Ack], q: f64) -> f64 {
    let mut l: Vec<Duration> = acks.iter().map(|a| a.latency).collect();
    l.sort_unstable();
    let i = ((l.len() as f64 - 1.0) * q).round() as usize;
    l.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}
