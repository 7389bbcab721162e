//! What organizers (writers of an event) do with its registrations: list
//! them (and as CSV), add, remove, move between place and waiting list.
//! Check-in: `check_in.rs`.

use actix_web::{delete, get, patch, put, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{ApiError, Infra};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::caller::EventWriter;
use super::invitations::SentInvitation;
use super::views::RegistrationView;
use crate::db::models::{CONFIRMED, OFFERED, WAITLISTED};
use crate::domain::actions::event_registrations::{self, Filter};
use crate::domain::actions::{self, move_registration::Destination};
use crate::state::EventsState;

/// Sort fields of an event's registrations.
pub const SORT_FIELDS: &[&str] = &["status", "registered_at", "username"];

#[derive(Debug, Deserialize, IntoParams)]
pub struct RegistrationFilter {
    /// `confirmed`, `waitlisted` or `offered`.
    #[param(pattern = "^(confirmed|waitlisted|offered)$")]
    pub status: Option<String>,
    /// Only those checked in (true) or not (false).
    pub attended: Option<bool>,
    /// Only members of this group (slug; a private group is refused with 400).
    pub group: Option<String>,
    /// Only those who told of allergies (true) or not (false), among those
    /// whose allergies are shown.
    pub has_allergies: Option<bool>,
}

#[utoipa::path(tag = "organizers", params(ListParams, RegistrationFilter, ("sort" = Option<String>, Query, pattern = "^([-+]?(status|registered_at|username)(,[-+]?(status|registered_at|username))*)?$", description = "Comma-separated sort fields, `-` first for descending: status, registered_at, username.")), security(("bearer" = [])),
    responses((status = 200, description = "a page of registrations (CSV with format=csv); participants first, then the waiting list in order"),
              (status = 400), (status = 401), (status = 403), (status = 404)))]
#[get("/v1/events/{id}/registrations")]
pub async fn list_registrations(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    EventWriter { event, .. }: EventWriter,
    _id: web::Path<Uuid>,
    params: web::Query<ListParams>,
    filter: web::Query<RegistrationFilter>,
) -> Result<HttpResponse, ApiError> {
    // Writers may export their event's registrations as CSV.
    let request = ListRequest::parse(params.into_inner(), SORT_FIELDS, "status", &req)?;
    let filter = filter.into_inner();
    if let Some(status) = &filter.status {
        if ![CONFIRMED, WAITLISTED, OFFERED].contains(&status.as_str()) {
            return Err(ApiError::bad_request(
                "status must be confirmed, waitlisted or offered",
            ));
        }
    }
    let filter = Filter {
        status: filter.status,
        attended: filter.attended,
        group: filter.group,
        has_allergies: filter.has_allergies,
    };
    let now = state.settings.clock.now();
    let (items, total) =
        event_registrations::registrations_of(&infra, event, filter, request.clone(), now).await?;
    Ok(request.respond(items, total))
}

/// Adds someone to the event. An organizer's add is an invitation (202): it
/// holds no place until the person accepts it under `/v1/me/invitations`,
/// and expires when registration closes. An administrator places the person
/// directly (201, shown in their registrations as `added_by_organizer`); such
/// a placement never causes a strike and shows no health data.
#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 201, body = RegistrationView, description = "an administrator placed the person: a place, a priority swap or the waiting list"),
              (status = 202, body = SentInvitation, description = "an organizer invited the person, who holds no place until accepting"),
              (status = 401), (status = 403), (status = 404),
              (status = 409, description = "already registered, or registration has closed")))]
#[put("/v1/events/{id}/registrations/{user_id}")]
pub async fn add_registration(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    EventWriter { caller, .. }: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    let now = state.settings.clock.now();
    if !caller.is_admin() {
        let sent = actions::invite::invite(&infra, &caller, event_id, user_id, now).await?;
        return Ok(HttpResponse::Accepted().json(SentInvitation::from(sent)));
    }
    let view = actions::place::place(&infra, event_id, user_id, now).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 204, description = "removed without a strike; a freed place goes to the first waiter"),
              (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/events/{id}/registrations/{user_id}")]
pub async fn remove_registration(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    actions::remove::remove(&infra, event_id, user_id, state.settings.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Where an organizer moves a registration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// `confirmed` (a free place) or `waitlisted`.
    #[schema(pattern = "^(confirmed|waitlisted)$")]
    pub status: String,
}

#[utoipa::path(tag = "organizers", request_body = Move, security(("bearer" = [])),
    responses((status = 200, body = RegistrationView),
              (status = 401), (status = 403), (status = 404),
              (status = 409, description = "no free place, or nobody waiting to take the place"),
              (status = 422)))]
#[patch("/v1/events/{id}/registrations/{user_id}")]
pub async fn move_registration(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
    body: common::Json<Move>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    let to = Destination::from_status(&body.status)
        .ok_or_else(|| ApiError::field("status", "must be confirmed or waitlisted"))?;
    let now = state.settings.clock.now();
    let view =
        actions::move_registration::move_registration(&infra, event_id, user_id, to, now).await?;
    Ok(HttpResponse::Ok().json(view))
}
