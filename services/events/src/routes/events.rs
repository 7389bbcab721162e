//! Events: list, create, read, update, delete.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::list::{ListParams, ListRequest};
use common::{ApiError, AuthUser, Infra, MaybeAuthUser};
use serde::{Deserialize, Deserializer};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::caller::{self, EventWriter};
use super::views::EventView;
use crate::db::events::{self as queries};
use crate::domain::actions;
use crate::domain::actions::read_events::{self, Listing};
use crate::domain::members;
use crate::domain::validate::EventFields;
use crate::domain::writers;
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

/// A new event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvent {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub category_id: Option<Uuid>,
    /// The organizer group's slug.
    pub organizer: String,
    pub contact_person_id: Option<Uuid>,
    /// Not accepted any more (empty or absent): upload the image with `POST
    /// /v1/events/{id}/image`.
    #[schema(max_length = 0)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub sign_up: bool,
    /// 0: unlimited.
    #[serde(default, deserialize_with = "common::json::whole_i32")]
    #[schema(minimum = 0)]
    pub capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub sign_off_deadline: Option<DateTime<Utc>>,
    #[serde(default)]
    pub only_prioritized: bool,
    #[serde(default = "yes")]
    pub can_cause_strikes: bool,
    #[serde(default = "yes")]
    pub enforces_previous_strikes: bool,
    #[serde(default)]
    pub closed: bool,
    /// Lists of group slugs.
    #[serde(default)]
    pub priority_pools: Vec<Vec<String>>,
    /// Within this many hours of the start, a freed place is offered to the
    /// first waiter (who accepts or declines) instead of given; null: never.
    #[serde(default, deserialize_with = "common::json::optional_whole_i32")]
    #[schema(minimum = 1, maximum = 168)]
    pub offer_hours: Option<i32>,
}

fn yes() -> bool {
    true
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
    let new = body.into_inner();
    no_image_url(&new.image_url)?;
    let token = caller::token(&req);
    let organizer = members::groups_by_slug(
        &infra,
        &state,
        &token,
        vec![new.organizer.clone()],
        "organizer",
    )
    .await?
    .remove(&new.organizer)
    .ok_or_else(|| ApiError::field("organizer", "no such group"))?;
    writers::require_writer(&infra, &state, &caller, &token, &organizer).await?;
    let pools = resolve_pools(&infra, &state, &token, &new.priority_pools).await?;
    let fields = EventFields {
        title: new.title.trim().to_owned(),
        description: new.description,
        location: new.location.trim().to_owned(),
        starts_at: new.starts_at,
        ends_at: new.ends_at,
        category_id: new.category_id,
        organizer_id: organizer.id,
        contact_person_id: new.contact_person_id,
        sign_up: new.sign_up,
        capacity: new.capacity,
        registration_opens_at: new.registration_opens_at,
        registration_closes_at: new.registration_closes_at,
        sign_off_deadline: new.sign_off_deadline,
        only_prioritized: new.only_prioritized,
        can_cause_strikes: new.can_cause_strikes,
        enforces_previous_strikes: new.enforces_previous_strikes,
        closed: new.closed,
        priority_pools: pools,
        offer_hours: new.offer_hours,
    };
    let view = actions::create_event::create_event(&infra, &state, caller.id, fields).await?;
    Ok(HttpResponse::Created().json(view))
}

/// 422 for an image URL: images are uploaded, never linked from anywhere.
fn no_image_url(image_url: &Option<String>) -> Result<(), ApiError> {
    match image_url {
        Some(url) if !url.is_empty() => Err(ApiError::field(
            "image_url",
            "images are uploaded, not linked: POST /v1/events/{id}/image with the image as \
             multipart/form-data field \"file\"",
        )),
        _ => Ok(()),
    }
}

/// Pools of slugs to pools of group ids (422 naming unknown groups).
async fn resolve_pools(
    infra: &Infra,
    state: &EventsState,
    token: &str,
    pools: &[Vec<String>],
) -> Result<Vec<Vec<Uuid>>, ApiError> {
    let slugs: Vec<String> = pools.iter().flatten().cloned().collect();
    if slugs.is_empty() {
        return Ok(pools.iter().map(|_| vec![]).collect());
    }
    if slugs.len() > 200 {
        return Err(ApiError::field(
            "priority_pools",
            "at most 200 groups in all",
        ));
    }
    let groups = members::groups_by_slug(infra, state, token, slugs, "priority_pools").await?;
    Ok(pools
        .iter()
        .map(|pool| {
            let mut ids: Vec<Uuid> = pool
                .iter()
                .filter_map(|s| groups.get(s).map(|g| g.id))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect())
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

/// `Some(value)` for a present field, even `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A nullable whole number that may be absent (stays), null (clears) or set.
fn present_whole_i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    common::json::optional_whole_i32(d).map(Some)
}

/// Changes to an event; absent fields stay, `null` clears a nullable one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventChangeRequest {
    pub title: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<Option<Uuid>>,
    pub organizer: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_person_id: Option<Option<Uuid>>,
    /// Not accepted any more (empty or absent): upload the image with `POST
    /// /v1/events/{id}/image`, remove it with `DELETE`.
    #[schema(max_length = 0)]
    pub image_url: Option<String>,
    pub sign_up: Option<bool>,
    /// Raising promotes waiters; lowering moves the latest non-prioritized
    /// participants to the waiting list first.
    #[serde(default, deserialize_with = "common::json::optional_whole_i32")]
    #[schema(minimum = 0)]
    pub capacity: Option<i32>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub registration_opens_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub registration_closes_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub sign_off_deadline: Option<Option<DateTime<Utc>>>,
    pub only_prioritized: Option<bool>,
    pub can_cause_strikes: Option<bool>,
    pub enforces_previous_strikes: Option<bool>,
    pub closed: Option<bool>,
    pub priority_pools: Option<Vec<Vec<String>>>,
    /// null turns offers off.
    #[serde(default, deserialize_with = "present_whole_i32")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 168)]
    pub offer_hours: Option<Option<i32>>,
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
    id: web::Path<Uuid>,
    body: common::Json<EventChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let change = body.into_inner();
    no_image_url(&change.image_url)?;
    let token = caller::token(&req);
    let mut fields = EventFields::from(&current);
    if let Some(slug) = &change.organizer {
        let organizer =
            members::groups_by_slug(&infra, &state, &token, vec![slug.clone()], "organizer")
                .await?
                .remove(slug)
                .ok_or_else(|| ApiError::field("organizer", "no such group"))?;
        // Moving an event needs the right on the old and the new organizer.
        writers::require_writer(&infra, &state, &caller, &token, &organizer).await?;
        fields.organizer_id = organizer.id;
    }
    if let Some(pools) = &change.priority_pools {
        fields.priority_pools = resolve_pools(&infra, &state, &token, pools).await?;
    }
    apply(&mut fields, change);
    let now = state.settings.clock.now();
    let view = actions::update_event::update_event(&infra, &state, id, fields, now).await?;
    Ok(HttpResponse::Ok().json(view))
}

fn apply(fields: &mut EventFields, change: EventChangeRequest) {
    if let Some(v) = change.title {
        fields.title = v.trim().to_owned();
    }
    if let Some(v) = change.description {
        fields.description = v;
    }
    if let Some(v) = change.location {
        fields.location = v.trim().to_owned();
    }
    if let Some(v) = change.starts_at {
        fields.starts_at = v;
    }
    if let Some(v) = change.ends_at {
        fields.ends_at = v;
    }
    if let Some(v) = change.category_id {
        fields.category_id = v;
    }
    if let Some(v) = change.contact_person_id {
        fields.contact_person_id = v;
    }
    if let Some(v) = change.sign_up {
        fields.sign_up = v;
    }
    if let Some(v) = change.capacity {
        fields.capacity = v;
    }
    if let Some(v) = change.offer_hours {
        fields.offer_hours = v;
    }
    if let Some(v) = change.registration_opens_at {
        fields.registration_opens_at = v;
    }
    if let Some(v) = change.registration_closes_at {
        fields.registration_closes_at = v;
    }
    if let Some(v) = change.sign_off_deadline {
        fields.sign_off_deadline = v;
    }
    if let Some(v) = change.only_prioritized {
        fields.only_prioritized = v;
    }
    if let Some(v) = change.can_cause_strikes {
        fields.can_cause_strikes = v;
    }
    if let Some(v) = change.enforces_previous_strikes {
        fields.enforces_previous_strikes = v;
    }
    if let Some(v) = change.closed {
        fields.closed = v;
    }
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
