//! A Ballista scheduler and executor that know the index's SQL functions.
//!
//! Ballista's stock `ballista-scheduler` and `ballista-executor` binaries
//! resolve functions by name from DataFusion's built-in list, so a query that
//! calls `loggningsindex_shifts` fails on them. This crate builds the same two
//! processes on Ballista's own hooks, with the functions of
//! [`loggningsindex_datafusion`] added:
//!
//! - the scheduler decodes a client's logical plan with a session state from
//!   [`SchedulerConfig::override_session_builder`] — [`scheduler_config`];
//! - an executor decodes its tasks' physical plans with the functions of
//!   [`ExecutorProcessConfig::override_function_registry`] — [`executor_config`].
//!
//! The binaries `loggningsindex-scheduler` and `loggningsindex-executor` are
//! thin wrappers over these; a client connects with Ballista's
//! `SessionContext::remote("df://host:port")`, registers the functions on its
//! context ([`loggningsindex_datafusion::register`]) and runs the index's SQL.
//!
//! ```no_run
//! # async fn run() -> ballista_core::error::Result<()> {
//! let config = loggningsindex_ballista::scheduler_config("Europe/Stockholm")?;
//! let address = "127.0.0.1:50050".parse().unwrap();
//! let cluster = ballista_scheduler::cluster::BallistaCluster::new_from_config(&config).await?;
//! ballista_scheduler::scheduler_process::start_server(cluster, address, config.into()).await
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::sync::Arc;

use ballista_core::error::{BallistaError, Result};
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::{default_config_producer, default_session_builder};
use ballista_executor::executor_process::ExecutorProcessConfig;
use ballista_scheduler::config::SchedulerConfig;
use datafusion::execution::SessionState;
use datafusion::prelude::{SessionConfig, SessionContext};
use loggningsindex_zone::Zone;

/// The site zone the binaries use unless told otherwise.
pub const DEFAULT_ZONE: &str = "Europe/Stockholm";

/// A session state as Ballista's default builder makes it from `config`,
/// with the index's functions for sites in `zone` added.
///
/// # Errors
///
/// DataFusion cannot build the runtime.
pub fn session_state(
    config: SessionConfig,
    zone: &Zone,
) -> datafusion::common::Result<SessionState> {
    let ctx = SessionContext::new_with_state(default_session_builder(config)?);
    loggningsindex_datafusion::register(&ctx, zone);
    Ok(ctx.state())
}

/// Ballista's default scheduler configuration, whose sessions know the
/// index's functions for sites in `zone` (an IANA name).
///
/// # Errors
///
/// `zone` is not a time zone this build knows.
pub fn scheduler_config(zone: &str) -> Result<SchedulerConfig> {
    let zone = site_zone(zone)?;
    Ok(SchedulerConfig::default()
        .with_override_session_builder(Arc::new(move |config| session_state(config, &zone))))
}

/// The functions an executor resolves names from: DataFusion's and
/// Ballista's defaults, and the index's for sites in `zone`.
///
/// # Errors
///
/// `zone` is not a time zone this build knows.
pub fn function_registry(zone: &str) -> Result<BallistaFunctionRegistry> {
    let state = session_state(default_config_producer(), &site_zone(zone)?)?;
    Ok(BallistaFunctionRegistry::from(&state))
}

/// Ballista's default executor configuration with the function registry of
/// [`function_registry`]; set the addresses and resources on it.
///
/// # Errors
///
/// `zone` is not a time zone this build knows.
pub fn executor_config(zone: &str) -> Result<ExecutorProcessConfig> {
    Ok(ExecutorProcessConfig {
        override_function_registry: Some(Arc::new(function_registry(zone)?)),
        ..ExecutorProcessConfig::default()
    })
}

/// The zone `zone` names, so that a wrong name fails at start, not in the
/// first query.
fn site_zone(zone: &str) -> Result<Zone> {
    Zone::get(zone).map_err(|e| BallistaError::Configuration(format!("--zone {zone}: {e}")))
}

/// The runtime the binaries run on: Tokio, multi-threaded, with the 32 MiB
/// thread stacks Ballista's own scheduler uses (deep plans recurse).
///
/// # Errors
///
/// The runtime cannot start its threads.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(32 * 1024 * 1024)
        .build()?)
}
