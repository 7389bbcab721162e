//! My event settings and my events.

use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{ApiError, AuthUser, Infra};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::db::settings::EventSettings;
use crate::domain::actions::me;
use crate::state::EventsState;

#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 200, body = EventSettings), (status = 401)))]
#[get("/v1/me/event-settings")]
pub async fn my_settings(
    infra: web::Data<Infra>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let found = me::settings(&infra, caller.id).await?;
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
    let change = me::SettingsChange {
        accepts_event_rules: change.accepts_event_rules,
        public_registrations: change.public_registrations,
        allergies: change.allergies,
        photo_consent: change.photo_consent,
    };
    let saved = me::change_settings(&infra, caller.id, change).await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MyEventsQuery {
    /// Past events (started before now), newest first, instead of upcoming ones.
    #[serde(default)]
    pub past: bool,
}

#[utoipa::path(tag = "me", params(ListParams, MyEventsQuery, ("sort" = Option<String>, Query, pattern = "^([-+]?(starts_at)(,[-+]?(starts_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: starts_at.")), security(("bearer" = [])),
    responses((status = 200, description = "a page of my registrations with their events: upcoming by start, or past newest first"),
              (status = 400), (status = 401)))]
#[get("/v1/me/events")]
pub async fn my_events(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    params: web::Query<ListParams>,
    query: web::Query<MyEventsQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let past = query.past;
    let default_sort = if past { "-starts_at" } else { "starts_at" };
    let request = ListRequest::parse(params.into_inner(), &["starts_at"], default_sort, &req)?;
    request.authorize_export(Some(&caller))?;
    let now = state.settings.clock.now();
    let (items, total) = me::my_events(&infra, &caller, past, request.clone(), now).await?;
    Ok(request.respond(items, total))
}
