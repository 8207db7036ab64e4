//! Bearer tokens: created by an operator, stored only as a hash, each with
//! one role and one scope.

use std::fmt;
use std::str::FromStr;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::secrets::{Secrets, random_hex};

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A terminal at one site: registers, reads cards, sees who is present.
    Terminal,
    /// A company: blocks its own cards, reads its own index.
    Company,
    /// An inspector for one site: sees who is present.
    Inspector,
}

impl Role {
    /// `terminal`, `company` or `inspector`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Terminal => "terminal",
            Role::Company => "company",
            Role::Inspector => "inspector",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(text: &str) -> Result<Role> {
        match text {
            "terminal" => Ok(Role::Terminal),
            "company" => Ok(Role::Company),
            "inspector" => Ok(Role::Inspector),
            other => Err(Error::Invalid(format!(
                "{other:?}: the role is terminal, company or inspector"
            ))),
        }
    }
}

/// An authenticated token: its row, role and scope. The scope is a site id
/// for terminals and inspectors, and the company's reference (never its
/// number) for companies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The token's row (named in the ledger as the registering device).
    pub id: i64,
    /// Its role.
    pub role: Role,
    /// Its site, or its company's reference.
    pub scope: String,
}

impl Grant {
    /// Whether the token may see `site`'s register.
    pub fn covers_site(&self, site: &str) -> bool {
        matches!(self.role, Role::Terminal | Role::Inspector) && self.scope == site
    }

    /// Whether the token speaks for the company with reference `company_ref`.
    pub fn covers_company(&self, company_ref: &str) -> bool {
        self.role == Role::Company && self.scope == company_ref
    }
}

/// The stored form of a token: SHA-256, hex. Tokens are 256 random bits, so
/// a plain hash is as hard to invert as the token is to guess.
fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token and returns it; only its hash is stored, so it cannot be
/// shown again.
///
/// # Errors
///
/// [`Error::Invalid`] for an empty scope, a scope with control characters,
/// or a company scope that is an invalid identity number; a database error.
pub fn create_token(
    conn: &Connection,
    secrets: &Secrets,
    role: Role,
    scope: &str,
) -> Result<String> {
    let scope = scope.trim();
    if scope.is_empty() || scope.chars().any(char::is_control) {
        return Err(Error::Invalid(
            "the scope must be a site id or a company id, without control characters".into(),
        ));
    }
    let stored = match role {
        Role::Company => secrets
            .company_ref(scope)
            .map_err(|e| Error::Invalid(format!("the company id is not valid: {e}")))?,
        Role::Terminal | Role::Inspector => scope.to_string(),
    };
    let token = format!("li_{}", random_hex(32)?);
    let created = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| Error::Invalid(e.to_string()))?;
    conn.execute(
        "INSERT INTO tokens (hash, role, scope, created) VALUES (?1, ?2, ?3, ?4)",
        params![digest(&token), role.as_str(), stored, created],
    )?;
    Ok(token)
}

/// The grant of a presented token, if it is one of ours.
///
/// # Errors
///
/// A database error.
pub fn authenticate(conn: &Connection, token: &str) -> Result<Option<Grant>> {
    let row: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT id, role, scope FROM tokens WHERE hash = ?1 AND revoked IS NULL",
            params![digest(token)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(id, role, scope)| {
        Ok(Grant {
            id,
            role: role.parse()?,
            scope,
        })
    })
    .transpose()
}

/// Revokes a token: from now on it is answered `401`. The row stays, since
/// registrations name the token that made them.
///
/// # Errors
///
/// [`Error::Invalid`] if the token is not one of ours (or already revoked);
/// a database error.
pub fn revoke_token(conn: &Connection, token: &str) -> Result<()> {
    let revoked = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let changed = conn.execute(
        "UPDATE tokens SET revoked = ?1 WHERE hash = ?2 AND revoked IS NULL",
        params![revoked, digest(token.trim())],
    )?;
    if changed == 0 {
        return Err(Error::Invalid(
            "no such token (or it was revoked already)".into(),
        ));
    }
    Ok(())
}
