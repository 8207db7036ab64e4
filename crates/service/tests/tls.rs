//! The service over TLS on 127.0.0.1: a client that trusts the certificate
//! registers and reads; a plain-HTTP client gets nothing from the TLS port.

mod support;

use std::sync::mpsc;

use loggningsindex_service::{Options, serve};
use support::{Fixture, body, minutes_ago};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

#[test]
fn registrations_and_reads_work_over_tls() {
    let f = Fixture::new("tls");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert_path, key_path) = (f.dir.join("cert.pem"), f.dir.join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).unwrap();

    let mut options = Options::new(f.location.clone(), "127.0.0.1:0".parse().unwrap());
    options.tls = Some((cert_path, key_path));
    let (tx, rx) = mpsc::channel();
    // The server thread ends with the test process.
    std::thread::spawn(move || {
        serve(&options, |address, tls| tx.send((address, tls)).unwrap()).unwrap();
    });
    let (address, tls) = rx.recv().unwrap();
    assert!(tls);

    let root = Certificate::from_pem(cert.cert.pem().as_bytes())
        .unwrap()
        .to_owned();
    let agent = ureq::Agent::config_builder()
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&[root]))
                .build(),
        )
        .http_status_as_error(false)
        .build()
        .new_agent();
    let base = format!("https://localhost:{}", address.port());
    let mut answer = agent
        .post(format!("{base}/v1/registrations"))
        .header("authorization", format!("Bearer {}", f.terminal))
        .send(body("AB-0000000001", "BPL-1", "IN", &minutes_ago(1)))
        .unwrap();
    assert_eq!(answer.status(), 201);
    let stored: serde_json::Value = answer.body_mut().read_json().unwrap();
    assert_eq!(stored["entry"], 1);
    let mut present = agent
        .get(format!("{base}/v1/sites/BPL-1/present"))
        .header("authorization", format!("Bearer {}", f.inspector))
        .call()
        .unwrap();
    let list: serde_json::Value = present.body_mut().read_json().unwrap();
    assert_eq!(list["present"][0]["name"], "Anna Andersson");

    // Plain HTTP to the TLS port: no answer a client could read as one.
    let plain = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(5)))
        .build()
        .new_agent();
    assert!(
        plain
            .get(format!(
                "http://127.0.0.1:{}/v1/cards/AB-0000000001",
                address.port()
            ))
            .call()
            .is_err()
    );
    // A client that does not trust the certificate refuses the server.
    assert!(
        ureq::get(format!("{base}/v1/cards/AB-0000000001"))
            .call()
            .is_err()
    );
}
