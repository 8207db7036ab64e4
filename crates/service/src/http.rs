//! The HTTP API on axum: routes, tokens, answers. Every refusal is a JSON
//! body `{"error": reason}` with a 4xx status; `503` when storage is full.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use loggningsindex_cards::{CardNumber, Validity};
use loggningsindex_core::Timestamp;
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::api::{Tolerance, parse_block, parse_registration};
use crate::error::Result;
use crate::page::present_page;
use crate::queries::{company_index, present_at, rfc3339};
use crate::secrets::Secrets;
use crate::store::Location;
use crate::tokens::{Grant, Role, authenticate};
use crate::writer::{Idempotency, Refusal, Writer};

/// The largest request body taken.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The longest `Idempotency-Key` taken.
const MAX_IDEMPOTENCY_KEY: usize = 255;

/// What every request handler shares.
#[derive(Clone)]
pub struct Shared {
    writer: Writer,
    secrets: Arc<Secrets>,
    readers: Arc<Readers>,
    tolerance: Tolerance,
}

impl Shared {
    /// The state of a service on `location`, writing through `writer`.
    pub fn new(
        location: &Location,
        secrets: Arc<Secrets>,
        writer: Writer,
        tolerance: Tolerance,
    ) -> Shared {
        Shared {
            writer,
            secrets,
            readers: Arc::new(Readers {
                location: location.clone(),
                idle: Mutex::new(Vec::new()),
            }),
            tolerance,
        }
    }
}

/// Read connections, reused (WAL lets them read while the writer writes).
struct Readers {
    location: Location,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    fn with<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let idle = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        let conn = match idle {
            Some(conn) => conn,
            None => crate::store::connect(&self.location.db)?,
        };
        let result = work(&conn);
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
        result
    }
}

/// An answer other than success.
#[derive(Debug)]
pub struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (self.0, axum::Json(json!({ "error": self.1 }))).into_response();
        if self.0 == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

fn fail(status: StatusCode, reason: impl Into<String>) -> Failure {
    Failure(status, reason.into())
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Failure {
        match r {
            Refusal::Unprocessable(m) => fail(StatusCode::UNPROCESSABLE_ENTITY, m),
            Refusal::Forbidden(m) => fail(StatusCode::FORBIDDEN, m),
            Refusal::NotFound(m) => fail(StatusCode::NOT_FOUND, m),
            Refusal::Unavailable(m) => fail(StatusCode::SERVICE_UNAVAILABLE, m),
        }
    }
}

impl From<crate::Error> for Failure {
    fn from(e: crate::Error) -> Failure {
        if e.is_full() {
            fail(StatusCode::SERVICE_UNAVAILABLE, "storage full; retry later")
        } else {
            fail(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage unavailable; retry later",
            )
        }
    }
}

type Answer = std::result::Result<Response, Failure>;

/// The API's routes (the contract is in `docs/service.md`).
pub fn router(shared: Shared) -> Router {
    Router::new()
        .route("/v1/registrations", post(post_registration))
        .route("/v1/cards/{card}", get(get_card))
        .route("/v1/cards/{card}/block", post(post_block))
        .route("/v1/sites/{site}/present", get(get_present))
        .route("/v1/companies/{company}/index", get(get_index))
        .fallback(|| async { fail(StatusCode::NOT_FOUND, "no such resource") })
        .method_not_allowed_fallback(|| async {
            fail(
                StatusCode::METHOD_NOT_ALLOWED,
                "this method is not allowed here",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(shared)
}

/// Runs blocking database work off the async threads.
async fn blocking<T: Send + 'static>(
    shared: &Shared,
    work: impl FnOnce(&Connection, &Secrets) -> Result<T> + Send + 'static,
) -> std::result::Result<T, Failure> {
    let (readers, secrets) = (Arc::clone(&shared.readers), Arc::clone(&shared.secrets));
    tokio::task::spawn_blocking(move || readers.with(|conn| work(conn, &secrets)))
        .await
        .map_err(|_| fail(StatusCode::SERVICE_UNAVAILABLE, "the request was cut short"))?
        .map_err(Failure::from)
}

/// The token's grant: `401` without a token or with one we do not know.
async fn grant(shared: &Shared, headers: &HeaderMap) -> std::result::Result<Grant, Failure> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| fail(StatusCode::UNAUTHORIZED, "a bearer token is required"))?
        .to_string();
    blocking(shared, move |conn, _| authenticate(conn, &token))
        .await?
        .ok_or_else(|| fail(StatusCode::UNAUTHORIZED, "unknown token"))
}

fn body(body: std::result::Result<Bytes, BytesRejection>) -> std::result::Result<Bytes, Failure> {
    body.map_err(|r| {
        let status = r.status();
        let reason = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("the body is larger than {MAX_BODY_BYTES} bytes")
        } else {
            r.body_text()
        };
        fail(status, reason)
    })
}

fn idempotency(
    headers: &HeaderMap,
    body: &[u8],
) -> std::result::Result<Option<Idempotency>, Failure> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= MAX_IDEMPOTENCY_KEY)
        .ok_or_else(|| {
            fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "Idempotency-Key: expected 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters"
                ),
            )
        })?;
    Ok(Some(Idempotency {
        key: key.to_string(),
        digest: hex::encode(Sha256::digest(body)),
    }))
}

async fn post_registration(
    State(shared): State<Shared>,
    headers: HeaderMap,
    raw: std::result::Result<Bytes, BytesRejection>,
) -> Answer {
    let grant = grant(&shared, &headers).await?;
    if grant.role != Role::Terminal {
        return Err(fail(
            StatusCode::FORBIDDEN,
            "only a terminal token may register",
        ));
    }
    let raw = body(raw)?;
    let request = parse_registration(&raw, OffsetDateTime::now_utc(), shared.tolerance)
        .map_err(|reason| fail(StatusCode::UNPROCESSABLE_ENTITY, reason))?;
    if !grant.covers_site(&request.site) {
        return Err(fail(
            StatusCode::FORBIDDEN,
            "this token is for another site",
        ));
    }
    let idempotency = idempotency(&headers, &raw)?;
    let stored = shared
        .writer
        .register(grant.id, request, idempotency)
        .await?;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(json!({ "entry": stored.entry, "head": stored.head })),
    )
        .into_response();
    if stored.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// A path segment: `400` if it is not UTF-8 once decoded.
fn segment(
    path: std::result::Result<Path<String>, PathRejection>,
) -> std::result::Result<String, Failure> {
    path.map(|Path(text)| text)
        .map_err(|e| fail(StatusCode::BAD_REQUEST, e.body_text()))
}

fn card_number(text: &str) -> std::result::Result<CardNumber, Failure> {
    text.parse().map_err(|_| {
        fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "card: expected two letters and ten digits, as AB-1234567890",
        )
    })
}

/// Now, in Swedish time (the default instant of the present list).
fn now() -> Timestamp {
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos() as i64;
    let offset = loggningsindex_zone::Zone::stockholm()
        .offsets()
        .offset_at(nanos);
    Timestamp::new(nanos, offset)
}

async fn get_card(
    State(shared): State<Shared>,
    headers: HeaderMap,
    card: std::result::Result<Path<String>, PathRejection>,
) -> Answer {
    grant(&shared, &headers).await?;
    let number = card_number(&segment(card)?)?;
    let stored = blocking(&shared, move |conn, secrets| {
        crate::cards::load(conn, secrets, &number)
    })
    .await?
    .ok_or_else(|| fail(StatusCode::NOT_FOUND, "unknown card"))?;
    let card = stored.card;
    let validity = card.validity(now());
    let status = match validity {
        Validity::Valid => "valid",
        Validity::Unknown => "unknown",
        Validity::NotYetValid { .. } => "not_yet_valid",
        Validity::Expired { .. } => "expired",
        Validity::Blocked { .. } => "blocked",
    };
    let mut answer = json!({
        "card": card.number.to_string(),
        "status": status,
        "valid_from": card.valid_from.to_string(),
        "valid_to": card.valid_to.to_string(),
    });
    if let Validity::Blocked { reason, since } = validity {
        answer["blocked"] = json!({ "reason": reason.as_str(), "since": rfc3339(since) });
    }
    Ok(axum::Json(answer).into_response())
}

async fn post_block(
    State(shared): State<Shared>,
    headers: HeaderMap,
    card: std::result::Result<Path<String>, PathRejection>,
    raw: std::result::Result<Bytes, BytesRejection>,
) -> Answer {
    let grant = grant(&shared, &headers).await?;
    if grant.role != Role::Company {
        return Err(fail(
            StatusCode::FORBIDDEN,
            "only the issuing company's token may block a card",
        ));
    }
    let number = card_number(&segment(card)?)?;
    let reason = parse_block(&body(raw)?)
        .map_err(|reason| fail(StatusCode::UNPROCESSABLE_ENTITY, reason))?;
    let blocked = shared.writer.block(grant, number, reason).await?;
    Ok(axum::Json(json!({
        "card": number.to_string(),
        "status": "blocked",
        "blocked": { "reason": blocked.reason.as_str(), "since": rfc3339(blocked.at) },
    }))
    .into_response())
}

/// `?at=` of the present list.
#[derive(Deserialize)]
struct At {
    at: Option<String>,
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

async fn get_present(
    State(shared): State<Shared>,
    headers: HeaderMap,
    site: std::result::Result<Path<String>, PathRejection>,
    query: std::result::Result<Query<At>, axum::extract::rejection::QueryRejection>,
) -> Answer {
    let grant = grant(&shared, &headers).await?;
    let site = segment(site)?;
    if !grant.covers_site(&site) {
        return Err(fail(
            StatusCode::FORBIDDEN,
            "this token is not for this site",
        ));
    }
    let Query(At { at }) =
        query.map_err(|e| fail(StatusCode::UNPROCESSABLE_ENTITY, e.body_text()))?;
    let at = match at {
        None => now(),
        Some(text) => OffsetDateTime::parse(&text, &Rfc3339)
            .ok()
            .and_then(|t| Timestamp::from_offset_datetime(t).ok())
            .ok_or_else(|| {
                fail(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "at: expected an RFC 3339 time with an offset, as 2026-03-02T07:00:00+01:00",
                )
            })?,
    };
    let list = blocking(&shared, move |conn, secrets| {
        present_at(conn, secrets, &site, at)
    })
    .await?;
    let mut response = if wants_html(&headers) {
        Html(present_page(&list)).into_response()
    } else {
        axum::Json(list).into_response()
    };
    // Identities: never kept by a cache on the way.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `?from=&to=` of the index.
#[derive(Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
}

fn date(name: &str, text: Option<&str>) -> std::result::Result<time::Date, Failure> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.and_then(|t| time::Date::parse(t, format).ok())
        .ok_or_else(|| {
            fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{name}: expected YYYY-MM-DD"),
            )
        })
}

async fn get_index(
    State(shared): State<Shared>,
    headers: HeaderMap,
    company: std::result::Result<Path<String>, PathRejection>,
    query: std::result::Result<Query<Period>, axum::extract::rejection::QueryRejection>,
) -> Answer {
    let grant = grant(&shared, &headers).await?;
    let company = segment(company)?;
    let company_ref = shared.secrets.company_ref(&company).ok();
    if !company_ref
        .as_deref()
        .is_some_and(|r| grant.covers_company(r))
    {
        return Err(fail(
            StatusCode::FORBIDDEN,
            "this token does not speak for this company",
        ));
    }
    let Query(period) = query.map_err(|e| fail(StatusCode::UNPROCESSABLE_ENTITY, e.body_text()))?;
    let (from, to) = (
        date("from", period.from.as_deref())?,
        date("to", period.to.as_deref())?,
    );
    if to < from {
        return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "to: before from"));
    }
    let company_ref = company_ref.unwrap_or_default();
    let report = blocking(&shared, move |conn, _| {
        company_index(conn, &company_ref, &company, from, to)
    })
    .await?;
    Ok(axum::Json(report).into_response())
}
