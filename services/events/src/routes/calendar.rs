//! My calendar: a secret link to an iCalendar feed of all my registrations,
//! for calendar apps that cannot send a token. The secret is the feed's only
//! credential: 244 random bits, shown to its owner, retired by rotating it,
//! and hidden from nginx's access log and the service's request logs.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::{ApiError, AuthUser, Infra};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::actions::calendar;
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
    let (secret, created_at) = calendar::link_of(&infra, caller.id).await?;
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
    let (secret, created_at) = calendar::rotate(&infra, caller.id).await?;
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
    let (domain, now) = (
        &state.settings.common.base_domain,
        state.settings.clock.now(),
    );
    let body = calendar::feed(&infra, &file, domain, now).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(body))
}
