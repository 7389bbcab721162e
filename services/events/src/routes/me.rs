//! My event settings and my events.

use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use chrono::Utc;
use common::list::{CsvRow, ListParams, ListRequest};
use common::{db, ApiError, AuthUser, Infra, Validator};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::views::{self, EventView, RegistrationView};
use crate::db::settings::{self, EventSettings};
use crate::db::{events, registrations};
use crate::domain::validate;

#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 200, body = EventSettings), (status = 401)))]
#[get("/v1/me/event-settings")]
pub async fn my_settings(
    infra: web::Data<Infra>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let user_id = caller.id;
    let found = db::run(&infra.pool, move |conn| Ok(settings::of(conn, user_id)?)).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Changes to my event settings; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsChange {
    pub accepts_event_rules: Option<bool>,
    pub public_registrations: Option<bool>,
    #[schema(max_length = 2000)]
    pub allergies: Option<String>,
    pub photo_consent: Option<bool>,
}

#[utoipa::path(tag = "me", request_body = SettingsChange, security(("bearer" = [])),
    responses((status = 200, body = EventSettings), (status = 401), (status = 422)))]
#[patch("/v1/me/event-settings")]
pub async fn update_my_settings(
    infra: web::Data<Infra>,
    caller: AuthUser,
    body: common::Json<SettingsChange>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let change = body.into_inner();
    if let Some(allergies) = &change.allergies {
        let mut v = Validator::new();
        validate::text(&mut v, "allergies", allergies, 2000);
        v.finish()?;
    }
    let user_id = caller.id;
    let saved = infra
        .transaction(move |conn| {
            let mut s = settings::of(conn, user_id)?;
            if let Some(v) = change.accepts_event_rules {
                s.accepts_event_rules = v;
            }
            if let Some(v) = change.public_registrations {
                s.public_registrations = v;
            }
            if let Some(v) = change.allergies {
                s.allergies = v.trim().to_owned();
            }
            if let Some(v) = change.photo_consent {
                s.photo_consent = v;
            }
            Ok(settings::save(conn, user_id, &s)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MyEventsQuery {
    /// Past events (started before now), newest first, instead of upcoming ones.
    #[serde(default)]
    pub past: bool,
}

/// One of my events with my registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyEvent {
    pub event: EventView,
    pub registration: RegistrationView,
}

impl CsvRow for MyEvent {
    fn csv_header() -> &'static [&'static str] {
        &["event_id", "title", "starts_at", "status", "position"]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.event.id.to_string(),
            self.event.title.clone(),
            self.event.starts_at.to_rfc3339(),
            self.registration.status.clone(),
            self.registration
                .position
                .map(|p| p.to_string())
                .unwrap_or_default(),
        ]
    }
}

#[utoipa::path(tag = "me", params(ListParams, MyEventsQuery, ("sort" = Option<String>, Query, pattern = "^([-+]?(starts_at)(,[-+]?(starts_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: starts_at.")), security(("bearer" = [])),
    responses((status = 200, description = "a page of my registrations with their events: upcoming by start, or past newest first"),
              (status = 400), (status = 401)))]
#[get("/v1/me/events")]
pub async fn my_events(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: AuthUser,
    params: web::Query<ListParams>,
    query: web::Query<MyEventsQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let past = query.past;
    let default_sort = if past { "-starts_at" } else { "starts_at" };
    let request = ListRequest::parse(params.into_inner(), &["starts_at"], default_sort, &req)?;
    request.authorize_export(Some(&caller))?;
    let descending = request.sort.first().is_some_and(|k| k.descending);
    let (user_id, username) = (caller.id, caller.username.clone());
    let list = request.clone();
    let (items, total) = db::run(&infra.pool, move |conn| {
        let (rows, total) =
            registrations::of_user_page(conn, user_id, past, Utc::now(), descending, &list)?;
        let mut items = Vec::with_capacity(rows.len());
        for (registration, event_id) in rows {
            let Some(event) = events::find(conn, event_id)? else {
                continue;
            };
            items.push(MyEvent {
                event: views::event(conn, event)?,
                registration: views::registration(conn, registration, username.clone())?,
            });
        }
        Ok((items, total))
    })
    .await?;
    Ok(request.respond(items, total))
}
