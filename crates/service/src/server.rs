//! Starting the service: the database, the writer, the listener (TLS when
//! given a certificate), until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::api::Tolerance;
use crate::error::{Error, Result};
use crate::http::{Shared, router};
use crate::store::{Location, Store, limit_size};
use crate::writer::Writer;

/// How to run the service.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The database and its key.
    pub location: Location,
    /// Where to listen (port 0: any free port).
    pub listen: SocketAddr,
    /// A PEM certificate chain and private key: TLS on the listener.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// How far registration times may be from the clock.
    pub tolerance: Tolerance,
    /// Keep the database under about this many bytes (`503` beyond).
    pub max_db_bytes: Option<u64>,
}

impl Options {
    /// Plain HTTP on `listen`, default tolerance, no size limit.
    pub fn new(location: Location, listen: SocketAddr) -> Options {
        Options {
            location,
            listen,
            tls: None,
            tolerance: Tolerance::default(),
            max_db_bytes: None,
        }
    }
}

/// The API on the database at `options.location`, ready to be served (or
/// called directly, as the tests do).
///
/// # Errors
///
/// Opening the database or its key, or a broken chain in it.
pub fn app(options: &Options) -> Result<axum::Router> {
    let store = Store::open(&options.location, time::OffsetDateTime::now_utc().date())?;
    if let Some(bytes) = options.max_db_bytes {
        limit_size(&store.conn, bytes)?;
    }
    let secrets = Arc::new(store.secrets);
    let writer = Writer::start(store.conn, Arc::clone(&secrets))?;
    Ok(router(Shared::new(
        &options.location,
        secrets,
        writer,
        options.tolerance,
    )))
}

/// Runs the service until SIGINT or SIGTERM. `ready` is called with the
/// bound address (and whether it speaks TLS) once requests are taken.
///
/// # Errors
///
/// As [`app`]; binding the address; reading the certificate or key.
pub fn serve(options: &Options, ready: impl FnOnce(SocketAddr, bool)) -> Result<()> {
    let app = app(options)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = std::net::TcpListener::bind(options.listen)
            .map_err(|e| Error::Io(format!("{}: {e}", options.listen)))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        match &options.tls {
            None => {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                ready(address, false);
                axum::serve(listener, app)
                    .with_graceful_shutdown(stop_signal())
                    .await?;
            }
            Some((cert, key)) => {
                let _ = rustls::crypto::ring::default_provider().install_default();
                let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                    .await
                    .map_err(|e| {
                        Error::Tls(format!("{} / {}: {e}", cert.display(), key.display()))
                    })?;
                let handle = axum_server::Handle::new();
                let stopper = handle.clone();
                tokio::spawn(async move {
                    stop_signal().await;
                    stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
                });
                let server = axum_server::from_tcp_rustls(listener, config)?.handle(handle);
                ready(address, true);
                server.serve(app.into_make_service()).await?;
            }
        }
        Ok(())
    })
}

/// SIGINT (Ctrl-C) or SIGTERM.
async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
