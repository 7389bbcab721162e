//! My registration for an event: register, look, leave.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use common::{ApiError, AuthUser, Infra};
use uuid::Uuid;

use super::caller;
use super::views::RegistrationView;
use crate::domain::actions;
use crate::state::EventsState;

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 201, body = RegistrationView, description = "registered: confirmed or on the waiting list"),
              (status = 400, description = "the event rules are not accepted"),
              (status = 401), (status = 403, description = "a registration rule refuses (the detail names it)"),
              (status = 404), (status = 409, description = "already registered")))]
#[post("/v1/events/{id}/registrations")]
pub async fn register(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let now = state.settings.clock.now();
    let token = caller::token(&req);
    let view =
        actions::register::register(&infra, &state, &caller, &token, id.into_inner(), now).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 200, body = RegistrationView), (status = 401),
              (status = 404, description = "not registered")))]
#[get("/v1/events/{id}/registrations/me")]
pub async fn my_registration(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let view = actions::register::my_registration(&infra, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 204, description = "left; after the sign-off deadline with a past_deadline strike where the event gives strikes"),
              (status = 401), (status = 403, description = "too late to leave"),
              (status = 404, description = "not registered")))]
#[delete("/v1/events/{id}/registrations/me")]
pub async fn leave(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let now = state.settings.clock.now();
    actions::leave::leave(&infra, &state, caller.id, id.into_inner(), now).await?;
    Ok(HttpResponse::NoContent().finish())
}
