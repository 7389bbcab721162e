//! Attendance: organizers check in (or undo) a confirmed registration by user
//! or by the secret code behind the owner's QR code, and may mark that they
//! took attendance even when nobody came (the wind-up after the event gives
//! `no_show` strikes only when attendance was taken).

use actix_web::{delete, post, put, web, HttpResponse};
use chrono::Utc;
use common::{db, ApiError, Infra, Json};
use diesel::PgConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::EventWriter;
use super::organizer::username;
use super::views::{self, RegistrationView};
use crate::db::models::RegistrationRow;
use crate::db::{events, registrations};
use crate::domain::refusal::Refusal;

/// Marks (or clears) the attendance of a registration.
fn mark(
    conn: &mut PgConnection,
    registration: RegistrationRow,
    attended: bool,
) -> Result<RegistrationView, ApiError> {
    if !registration.is_confirmed() {
        return Err(Refusal::Waitlisted.into());
    }
    let refusal = if attended {
        Refusal::AlreadyCheckedIn
    } else {
        Refusal::NotCheckedIn
    };
    if attended == registration.attended_at.is_some() {
        return Err(refusal.into());
    }
    // Two scans of one code at once: the update's condition lets one through.
    let updated = registrations::set_attended(conn, registration.id, attended.then(Utc::now))?
        .ok_or(refusal)?;
    let name = username(conn, updated.user_id)?;
    Ok(views::registration(conn, updated, name)?)
}

async fn set_attendance(
    infra: web::Data<Infra>,
    path: web::Path<(Uuid, Uuid)>,
    attended: bool,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    let view = db::run(&infra.pool, move |conn| {
        let registration = registrations::find(conn, event_id, user_id)?
            .ok_or_else(|| ApiError::not_found("that user is not registered"))?;
        mark(conn, registration, attended)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 200, body = RegistrationView, description = "checked in"),
              (status = 401), (status = 403), (status = 404),
              (status = 409, description = "already checked in, or on the waiting list")))]
#[post("/v1/events/{id}/registrations/{user_id}/check-in")]
pub async fn check_in(
    infra: web::Data<Infra>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    set_attendance(infra, path, true).await
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 200, body = RegistrationView, description = "attendance cleared"),
              (status = 401), (status = 403), (status = 404),
              (status = 409, description = "not checked in")))]
#[delete("/v1/events/{id}/registrations/{user_id}/check-in")]
pub async fn undo_check_in(
    infra: web::Data<Infra>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    set_attendance(infra, path, false).await
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
    _writer: EventWriter,
    id: web::Path<Uuid>,
    body: Json<CheckInCode>,
) -> Result<HttpResponse, ApiError> {
    let event_id = id.into_inner();
    let code = body.into_inner().code;
    let view = db::run(&infra.pool, move |conn| {
        let registration = registrations::by_check_in_code(conn, event_id, code.trim())?
            .ok_or_else(|| ApiError::not_found("no registration of this event has that code"))?;
        mark(conn, registration, true)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 204, description = "attendance marked as taken: the day after the event, confirmed participants not checked in get a no_show strike where the event can cause strikes"),
              (status = 401), (status = 403), (status = 404)))]
#[put("/v1/events/{id}/attendance-taken")]
pub async fn attendance_taken(
    infra: web::Data<Infra>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    set_attendance_taken(infra, id.into_inner(), true).await
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 204, description = "attendance no longer marked as taken (check-ins still count)"),
              (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/events/{id}/attendance-taken")]
pub async fn attendance_not_taken(
    infra: web::Data<Infra>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    set_attendance_taken(infra, id.into_inner(), false).await
}

async fn set_attendance_taken(
    infra: web::Data<Infra>,
    event_id: Uuid,
    taken: bool,
) -> Result<HttpResponse, ApiError> {
    db::run(&infra.pool, move |conn| {
        Ok(events::set_attendance_taken(
            conn,
            event_id,
            taken.then(Utc::now),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
