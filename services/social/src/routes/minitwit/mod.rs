//! The MiniTwit simulator API (`docs/minitwit-api.md`), served on
//! `api.<BASE_DOMAIN>` with the paths at the root and its own error shape.

use std::collections::HashMap;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::{guard, web, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use common::{db, Infra};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use serde_json::json;
use subtle::ConstantTimeEq;

use crate::db::users::User;
use crate::state::SocialState;

mod fllws;
mod latest;
mod msgs;
mod register;

pub fn configure(cfg: &mut web::ServiceConfig, host: &str) {
    cfg.service(
        web::scope("")
            .guard(guard::Host(host))
            .wrap(from_fn(record_latest))
            .route("/latest", web::get().to(latest::latest))
            .route("/register", web::post().to(register::register))
            .route("/msgs", web::get().to(msgs::all))
            .route("/msgs/{username}", web::get().to(msgs::of_user))
            .route("/msgs/{username}", web::post().to(msgs::post))
            .route("/fllws/{username}", web::get().to(fllws::follows))
            .route("/fllws/{username}", web::post().to(fllws::change)),
    );
}

/// The MiniTwit error: `{"status": <code>, "error_msg": <text>}`.
#[derive(Debug)]
pub struct SimError {
    status: StatusCode,
    message: String,
}

impl SimError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl ResponseError for SimError {
    fn status_code(&self) -> StatusCode {
        self.status
    }
    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status)
            .json(json!({"status": self.status.as_u16(), "error_msg": self.message}))
    }
}

impl From<common::ApiError> for SimError {
    fn from(error: common::ApiError) -> Self {
        if error.status.is_server_error() {
            tracing::error!(?error, "MiniTwit API request failed");
            Self::new(error.status, "The service is temporarily unavailable")
        } else {
            Self::new(error.status, error.detail)
        }
    }
}

/// 403 unless the request carries the simulator's credentials.
pub fn require_simulator(req: &HttpRequest, state: &SocialState) -> Result<(), SimError> {
    if carries_credential(req, state) {
        Ok(())
    } else {
        Err(SimError::new(
            StatusCode::FORBIDDEN,
            "You are not authorized to use this resource!",
        ))
    }
}

/// Whether the `Authorization` header is the simulator's (constant time).
fn carries_credential(req: &HttpRequest, state: &SocialState) -> bool {
    let expected = state
        .settings
        .simulator_authorization
        .expose_secret()
        .as_bytes();
    let sent = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    sent.len() == expected.len() && bool::from(sent.ct_eq(expected))
}

/// The query string as a map; a malformed one counts as empty.
pub fn query(req: &HttpRequest) -> HashMap<String, String> {
    web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default()
}

/// Most items one list returns.
pub const MAX_LIMIT: i64 = 1000;

/// `?no=`: 100 when absent or not an integer, clamped to 0..=1000.
pub fn limit(req: &HttpRequest) -> i64 {
    query(req)
        .get("no")
        .and_then(|n| n.trim().parse::<i64>().ok())
        .unwrap_or(100)
        .clamp(0, MAX_LIMIT)
}

/// Parses a JSON body; anything else is a 400 in MiniTwit's shape.
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, SimError> {
    serde_json::from_slice(body)
        .map_err(|e| SimError::bad_request(format!("The request body must be JSON: {e}")))
}

/// The user with this name: from the local copy, or else from auth (for an
/// account whose registration event has not arrived yet).
pub async fn resolve(
    infra: &Infra,
    state: &SocialState,
    username: String,
) -> Result<User, SimError> {
    crate::domain::lookup::by_name(infra, state, &username)
        .await?
        .ok_or_else(|| {
            SimError::new(
                StatusCode::NOT_FOUND,
                format!("User {username:?} not found"),
            )
        })
}

/// The account the simulator acts as: 404 when nobody has that name, 403
/// when the account was not registered through the simulator API (the
/// simulator's credential must not let anyone act as any platform user).
pub async fn simulator_account(
    infra: &Infra,
    state: &SocialState,
    username: String,
) -> Result<User, SimError> {
    let user = resolve(infra, state, username).await?;
    if user.simulator {
        Ok(user)
    } else {
        Err(SimError::new(
            StatusCode::FORBIDDEN,
            format!(
                "User {:?} was not registered through this API; the simulator may act only for users it registered",
                user.username
            ),
        ))
    }
}

/// The request's `?latest=`, waiting to be stored.
#[derive(Clone, Copy)]
pub struct PendingLatest(pub i64);

/// Marks that a handler stored `latest` in its own statement.
pub struct LatestStored;

/// What `latest` a write handler should store with its change (and marks it
/// as stored, since the handler's statement runs whatever its outcome).
pub fn take_latest(req: &HttpRequest) -> Option<i64> {
    let latest = req.extensions().get::<PendingLatest>().map(|p| p.0);
    if latest.is_some() {
        req.extensions_mut().insert(LatestStored);
    }
    latest
}

/// Records `?latest=` for every request that carries the simulator's
/// credential, whatever its outcome; without it nothing is recorded, so only
/// the simulator can move `latest`. Write handlers store it in the same
/// statement as their change (one commit instead of two); for everything
/// else, including requests refused before reaching a handler's statement,
/// it is stored here before the answer goes out. A missing or non-integer
/// value changes nothing.
async fn record_latest(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let authenticated = req
        .app_data::<web::Data<SocialState>>()
        .is_some_and(|state| carries_credential(req.request(), state));
    let latest = if req.path() == "/latest" || !authenticated {
        None
    } else {
        query(req.request())
            .get("latest")
            .and_then(|l| l.trim().parse::<i64>().ok())
    };
    if let Some(latest) = latest {
        req.extensions_mut().insert(PendingLatest(latest));
    }
    let infra = req.app_data::<web::Data<Infra>>().cloned();
    let response = next.call(req).await?;
    let stored = response
        .request()
        .extensions()
        .get::<LatestStored>()
        .is_some();
    if let (Some(latest), Some(infra), false) = (latest, infra, stored) {
        let result = db::run(&infra.pool, move |conn| {
            Ok(crate::db::latest::store(conn, latest)?)
        })
        .await;
        if let Err(error) = result {
            return Err(SimError::from(error).into());
        }
    }
    let infra = response.request().app_data::<web::Data<Infra>>();
    if let Some(infra) = infra.filter(|_| response.status().as_u16() >= 400) {
        // The MiniTwit dashboard's simulator errors.
        infra.metrics.count("minitwit_error_responses");
    }
    if let (Some(latest), Some(infra)) = (latest, infra) {
        // The MiniTwit dashboard's "latest action id" (this instance's last).
        infra
            .metrics
            .gauges
            .with_label_values(&["minitwit_latest"])
            .set(latest);
    }
    Ok(response)
}

pub(crate) fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}
