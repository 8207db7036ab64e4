//! ID06 Kompetensdatabas beside the index: training certificates, what each
//! site requires, and which companies sent people to work without them.
//!
//! - **Rules** ([`Certificate::valid_on`], [`Requirement::applies`],
//!   [`missing`]): sans-IO, dates inclusive at both ends.
//! - **Files** ([`load_certificates`], [`load_requirements`]): CSV, bad rows
//!   rejected with line and reason.
//! - **The check** ([`check`]): every shift, formed as the index forms them,
//!   against the requirements of its site on its work day; per company and
//!   site, with the reports' small-group rule ([`suppress`]). It is shown next
//!   to the index, never inside it. `docs/competence.md` says more.
//!
//! ```
//! use loggningsindex_competence::{check, load_certificates, load_requirements};
//! use loggningsindex_format::Verbatim;
//! use loggningsindex_zone::Zone;
//!
//! let (certs, _) = load_certificates(
//!     "person,certificate,valid_from,valid_to,issuer\np1,HETA-ARBETEN,2026-01-01,,x\n".as_bytes(),
//! )?;
//! let (reqs, _) = load_requirements("site,certificate\nBPL-1,heta-arbeten\n".as_bytes())?;
//! let events = "person,company,site,timestamp,direction\n\
//!               p1,c1,BPL-1,2026-03-02T07:00:00+01:00,IN\n\
//!               p2,c1,BPL-1,2026-03-02T07:00:00+01:00,IN\n";
//! let checked = check(events.as_bytes(), &reqs, &certs, &Zone::stockholm(), &mut Verbatim)?;
//! let c1 = &checked.result.companies[0];
//! assert_eq!((c1.group.shifts, c1.group.shifts_without_required), (2, 1));
//! assert_eq!(c1.group.missing["HETA-ARBETEN"], 1);
//! # Ok::<(), loggningsindex_competence::Error>(())
//! ```
//!
//! # What this crate does not do
//!
//! It does not fetch certificates from ID06's systems: it reads files.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod check;
mod expiring;
mod file;
mod rules;

pub use check::{
    Checked, CompanyCompetence, CompetenceCheck, CompetenceGroup, ShiftWithout, SiteCompetence,
    check, map_ids, suppress,
};
pub use expiring::{expiring, last_companies};
pub use file::{load_certificates, load_requirements};
pub use rules::{Certificate, Certificates, Requirement, missing};

/// What stops reading a file as a whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A certificate or requirements file lacks columns.
    #[error("the {file} file lacks required column(s): {missing}")]
    MissingColumns {
        /// Which file.
        file: &'static str,
        /// Their names.
        missing: String,
    },
    /// The event file cannot be read as one.
    #[error(transparent)]
    Events(loggningsindex_format::Error),
    /// Reading failed.
    #[error("cannot read: {message}")]
    Io {
        /// Why.
        message: String,
    },
}

impl Error {
    /// Whether the error is about the input's shape (exit status 2).
    pub fn is_usage(&self) -> bool {
        match self {
            Error::MissingColumns { .. } => true,
            Error::Events(e) => e.is_usage(),
            Error::Io { .. } => false,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
