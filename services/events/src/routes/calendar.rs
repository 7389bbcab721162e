//! My calendar: a secret link to an iCalendar feed of all my registrations,
//! for calendar apps that cannot send a token. The secret is the feed's only
//! credential: 244 random bits, shown to its owner, retired by rotating it,
//! and hidden from nginx's access log and the service's request logs.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::{db, ApiError, AuthUser, Infra};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::calendar;
use crate::domain::ical::{self, Entry};
use crate::state::EventsState;

/// My calendar link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarLink {
    /// The feed: subscribe to it in a calendar app. Anyone with it sees my
    /// registrations; rotate it if it leaked.
    pub url: String,
    pub created_at: DateTime<Utc>,
}

fn link(req: &HttpRequest, secret: &str, created_at: DateTime<Utc>) -> CalendarLink {
    let info = req.connection_info();
    CalendarLink {
        url: format!(
            "{}://{}/v1/calendar/{secret}.ics",
            info.scheme(),
            info.host()
        ),
        created_at,
    }
}

/// A new secret: two random UUIDs' 244 bits, as 64 hex digits.
fn new_secret() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

#[utoipa::path(tag = "calendar", security(("bearer" = [])),
    responses((status = 200, body = CalendarLink), (status = 401),
              (status = 404, description = "no link yet: POST /v1/me/calendar makes one")))]
#[get("/v1/me/calendar")]
pub async fn my_calendar(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let user_id = caller.id;
    let (secret, created_at) = db::run(&infra.pool, move |conn| {
        calendar::link_of(conn, user_id)?.ok_or_else(|| {
            ApiError::not_found("you have no calendar link yet; POST /v1/me/calendar makes one")
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(link(&req, &secret, created_at)))
}

#[utoipa::path(tag = "calendar", security(("bearer" = [])),
    responses((status = 201, body = CalendarLink, description = "a new link; the old one, if any, answers 404 from now on"),
              (status = 401)))]
#[post("/v1/me/calendar")]
pub async fn rotate_calendar(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let user_id = caller.id;
    let secret = new_secret();
    let (secret, created_at) = db::run(&infra.pool, move |conn| {
        Ok(calendar::set_link(conn, user_id, &secret)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(link(&req, &secret, created_at)))
}

#[utoipa::path(tag = "calendar",
    params(("file" = String, Path, description = "`{secret}.ics`", pattern = "^[0-9a-f]{64}\\.ics$")),
    responses((status = 200, content_type = "text/calendar", description = "all my registrations, past and upcoming (RFC 5545)"),
              (status = 404, description = "no such link (never made, or rotated)")))]
#[get("/v1/calendar/{file}")]
pub async fn feed(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    file: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let gone = || ApiError::not_found("no such calendar link");
    let secret = file
        .strip_suffix(".ics")
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(gone)?
        .to_owned();
    let entries = db::run(&infra.pool, move |conn| {
        let user_id = calendar::owner_of(conn, &secret)?.ok_or_else(gone)?;
        Ok(calendar::entries(conn, user_id)?)
    })
    .await?;
    let listed: Vec<Entry<'_>> = entries
        .iter()
        .map(|(event, status)| Entry { event, status })
        .collect();
    let body = ical::calendar(&listed, &state.settings.common.base_domain, Utc::now());
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(body))
}
