//! `loggningsindex serve`, `token create`, `cards import --db` and
//! `ledger export --db`: the register service and its database.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use loggningsindex_service::{Location, Options, Role, Store, Tolerance};
use time::OffsetDateTime;

/// Where the database and its key are.
#[derive(Debug, clap::Args)]
pub(crate) struct DbArgs {
    /// The service's database (SQLite; created on first use, mode 0600).
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
    /// The key that seals identities in the database (default: `DB.key`,
    /// created with the database). Keep it apart from the database's backups.
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

impl DbArgs {
    fn location(&self) -> Location {
        Location::new(&self.db, self.key_file.as_deref())
    }

    fn open(&self) -> anyhow::Result<Store> {
        Store::open(&self.location(), OffsetDateTime::now_utc().date())
            .with_context(|| format!("cannot open {}", self.db.display()))
    }
}

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Address and port to listen on (port 0: any free port; the address is
    /// printed when the service is ready).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8406")]
    listen: SocketAddr,
    /// PEM certificate chain: serve HTTPS (with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Take registrations up to this many minutes old (terminals that were
    /// offline send what they kept).
    #[arg(long, value_name = "MINUTES", default_value_t = 24 * 60,
          value_parser = clap::value_parser!(u32).range(0..=7 * 24 * 60))]
    max_delay_minutes: u32,
    /// Keep the database under about this many bytes; registrations beyond
    /// it are refused with 503 (as on a full disk) and nothing is half-written.
    #[arg(long, value_name = "BYTES")]
    max_db_bytes: Option<u64>,
}

/// `token` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Token {
    /// Create a bearer token and print it (only its hash is stored: it cannot
    /// be shown again).
    Create {
        #[command(flatten)]
        db: DbArgs,
        /// terminal (registers at a site), company (blocks its cards, reads its
        /// index) or inspector (sees who is present at a site).
        #[arg(long, value_parser = ["terminal", "company", "inspector"])]
        role: String,
        /// The site id (terminal, inspector) or the company's id (company).
        #[arg(long, value_name = "SITE-OR-COMPANY")]
        scope: String,
    },
    /// Revoke a token: from now on it is refused (401).
    Revoke {
        #[command(flatten)]
        db: DbArgs,
        /// The token.
        token: String,
    },
}

pub(crate) fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let mut options = Options::new(args.db.location(), args.listen);
    options.tls = args.tls_cert.clone().zip(args.tls_key.clone());
    options.tolerance = Tolerance {
        late_seconds: i64::from(args.max_delay_minutes) * 60,
        ..Tolerance::default()
    };
    options.max_db_bytes = args.max_db_bytes;
    loggningsindex_service::serve(&options, |address, tls| {
        let scheme = if tls { "https" } else { "http" };
        println!("listening on {scheme}://{address}");
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("cannot serve {}", args.db.db.display()))?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn token(command: &Token) -> anyhow::Result<ExitCode> {
    match command {
        Token::Create { db, role, scope } => {
            let role: Role = role.parse()?;
            let store = db.open()?;
            let token =
                loggningsindex_service::create_token(&store.conn, &store.secrets, role, scope)?;
            println!("{token}");
        }
        Token::Revoke { db, token } => {
            let store = db.open()?;
            loggningsindex_service::revoke_token(&store.conn, token)?;
            println!("revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `cards import --db DB CARDS.csv`.
pub(crate) fn import_cards(db: &DbArgs, cards: &Path) -> anyhow::Result<ExitCode> {
    let register = match super::cards::load_cards(cards)? {
        Ok(register) => register,
        Err(code) => return Ok(code),
    };
    let mut store = db.open()?;
    let done = loggningsindex_service::cards::import(&mut store.conn, &store.secrets, &register)?;
    for (card, reason) in &done.refused {
        eprintln!(
            "loggningsindex: {}: card {card} not imported: {reason}",
            cards.display()
        );
    }
    println!(
        "{} cards added, {} updated, {} refused",
        done.added,
        done.updated,
        done.refused.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `ledger export --db DB -o LEDGER`.
pub(crate) fn export(db: &DbArgs, output: &Path) -> anyhow::Result<ExitCode> {
    let store = db.open()?;
    let head = loggningsindex_service::export_ledger(&store.conn, &store.secrets, output)
        .with_context(|| format!("cannot export to {}", output.display()))?;
    println!("{}", head.published());
    Ok(ExitCode::SUCCESS)
}
