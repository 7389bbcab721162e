//! Events: list, create, read, update, delete.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::list::{ListParams, ListRequest};
use common::{ApiError, AuthUser, Infra, MaybeAuthUser};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::caller::{self, EventWriter};
use super::views::EventView;
use crate::db::events::{self as queries};
use crate::domain::actions;
use crate::domain::actions::read_events::{self, Listing};
use crate::domain::event_input::{EventChangeRequest, NewEvent};
use crate::state::EventsState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct EventQuery {
    /// Only events of this category.
    pub category: Option<Uuid>,
    /// Only events of this organizer group (slug).
    pub organizer: Option<String>,
    /// Only events that end at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Only events that start at or before this time.
    pub to: Option<DateTime<Utc>>,
    /// Only events whose registration is open now.
    #[serde(default)]
    pub open: bool,
    /// Only my favourites (needs a login).
    #[serde(default)]
    pub favourites: bool,
    /// Past events (ended before the latest 12:00), newest first.
    #[serde(default)]
    pub expired: bool,
}

#[utoipa::path(tag = "events", params(ListParams, EventQuery, ("sort" = Option<String>, Query, pattern = "^([-+]?(starts_at|ends_at|title|created_at)(,[-+]?(starts_at|ends_at|title|created_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: starts_at, ends_at, title, created_at.")),
    responses((status = 200, description = "a page of events; `sort_options` lists the sort fields"),
              (status = 400), (status = 401)))]
#[get("/v1/events")]
pub async fn list_events(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: MaybeAuthUser,
    params: web::Query<ListParams>,
    query: web::Query<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let default_sort = if query.expired {
        "-starts_at"
    } else {
        "starts_at"
    };
    let request = ListRequest::parse(
        params.into_inner(),
        queries::SORT_FIELDS,
        default_sort,
        &req,
    )?;
    request.authorize_export(caller.0.as_ref())?;
    // The same for everyone unless it is someone's favourites or an export.
    let shared = !query.favourites && !request.csv;
    if shared {
        if let Some(body) = state.list.get(req.query_string()) {
            return Ok(json_body(body));
        }
    }
    let favourites_of = if query.favourites {
        let caller = caller
            .0
            .as_ref()
            .ok_or_else(|| ApiError::unauthorized("log in to list your favourites"))?;
        Some(caller.id)
    } else {
        None
    };
    let listing = Listing {
        category: query.category,
        organizer: query.organizer,
        from: query.from,
        to: query.to,
        open: query.open,
        favourites_of,
        expired: query.expired,
    };
    let now = state.settings.clock.now();
    let (items, total) =
        read_events::list_events(&infra, &state, listing, request.clone(), now).await?;
    if !shared {
        return Ok(request.respond(items, total));
    }
    let body = web::Bytes::from(
        serde_json::to_vec(&request.page_of(items, total)).map_err(ApiError::internal)?,
    );
    state.list.put(req.query_string(), body.clone());
    Ok(json_body(body))
}

fn json_body(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body)
}

#[utoipa::path(tag = "events", request_body = NewEvent, security(("bearer" = [])),
    responses((status = 201, body = EventView), (status = 401), (status = 403), (status = 422)))]
#[post("/v1/events")]
pub async fn create_event(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    body: common::Json<NewEvent>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let token = caller::token(&req);
    let new = body.into_inner();
    let view = actions::create_event::create_event(&infra, &state, &caller, &token, new).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "events",
    responses((status = 200, body = EventView), (status = 404)))]
#[get("/v1/events/{id}")]
pub async fn get_event(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = read_events::get_event(&infra, &state, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Changes an event. While people are registered, its start, end, closing
/// and sign-off deadline cannot move into the past (422 naming the field);
/// participants are told of a moved or cancelled event.
#[utoipa::path(tag = "events", request_body = EventChangeRequest, security(("bearer" = [])),
    responses((status = 200, body = EventView), (status = 401), (status = 403), (status = 404), (status = 422)))]
#[patch("/v1/events/{id}")]
pub async fn update_event(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    EventWriter {
        caller,
        event: current,
    }: EventWriter,
    _id: web::Path<Uuid>,
    body: common::Json<EventChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = caller::token(&req);
    let (change, now) = (body.into_inner(), state.settings.clock.now());
    let view =
        actions::update_event::update_event(&infra, &state, &caller, &token, current, change, now)
            .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "events", security(("bearer" = [])),
    responses((status = 204, description = "deleted; everyone registered is told it is cancelled"),
              (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/events/{id}")]
pub async fn delete_event(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    actions::delete_event::delete_event(&infra, &state, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
