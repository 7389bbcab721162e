//! Attendance: organizers check in (or undo) a confirmed registration by user
//! or by the secret code behind the owner's QR code, and may mark that they
//! took attendance even when nobody came (`domain::actions::attendance`).

use actix_web::{delete, post, put, web, HttpResponse};
use common::{ApiError, Infra, Json};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::EventWriter;
use super::views::RegistrationView;
use crate::domain::actions::attendance::{self, Attendee};
use crate::state::EventsState;

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 200, body = RegistrationView, description = "checked in"),
              (status = 401), (status = 403), (status = 404),
              (status = 409, description = "already checked in, or on the waiting list")))]
#[post("/v1/events/{id}/registrations/{user_id}/check-in")]
pub async fn check_in(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    let now = state.settings.clock.now();
    let view = attendance::mark(&infra, event_id, Attendee::User(user_id), true, now).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 200, body = RegistrationView, description = "attendance cleared"),
              (status = 401), (status = 403), (status = 404),
              (status = 409, description = "not checked in")))]
#[delete("/v1/events/{id}/registrations/{user_id}/check-in")]
pub async fn undo_check_in(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    let now = state.settings.clock.now();
    let view = attendance::mark(&infra, event_id, Attendee::User(user_id), false, now).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The code an organizer's phone read from a participant's QR code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInCode {
    /// The registration's `check_in_code`, as its owner sees it.
    #[schema(max_length = 64)]
    pub code: String,
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])), request_body = CheckInCode,
    responses((status = 200, body = RegistrationView, description = "checked in"),
              (status = 400), (status = 401), (status = 403),
              (status = 404, description = "no registration of this event has that code"),
              (status = 409, description = "already checked in, or on the waiting list")))]
#[post("/v1/events/{id}/check-in")]
pub async fn check_in_by_code(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
    body: Json<CheckInCode>,
) -> Result<HttpResponse, ApiError> {
    let code = Attendee::Code(body.into_inner().code);
    let now = state.settings.clock.now();
    let view = attendance::mark(&infra, id.into_inner(), code, true, now).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 204, description = "attendance marked as taken: the day after the event, confirmed participants not checked in get a no_show strike where the event can cause strikes"),
              (status = 401), (status = 403), (status = 404)))]
#[put("/v1/events/{id}/attendance-taken")]
pub async fn attendance_taken(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    attendance::taken(&infra, id.into_inner(), true, state.settings.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 204, description = "attendance no longer marked as taken (check-ins still count)"),
              (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/events/{id}/attendance-taken")]
pub async fn attendance_not_taken(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    attendance::taken(&infra, id.into_inner(), false, state.settings.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}
