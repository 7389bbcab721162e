//! Answering an offered place: accept it, or decline it so that it is
//! offered to the next waiter.

use actix_web::{post, web, HttpResponse};
use common::{ApiError, AuthUser, Infra};
use uuid::Uuid;

use super::views::RegistrationView;
use crate::domain::actions::answer_offer;
use crate::state::EventsState;

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 200, body = RegistrationView, description = "the place is mine: confirmed"),
              (status = 401), (status = 404, description = "not registered"),
              (status = 409, description = "no place is offered to me, or the offer expired")))]
#[post("/v1/events/{id}/registrations/me/accept")]
pub async fn accept(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let now = state.settings.clock.now();
    let view = answer_offer::accept_offer(&infra, &caller, id.into_inner(), now).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 204, description = "declined: my registration ended and the place goes to the next waiter"),
              (status = 401), (status = 404, description = "not registered"),
              (status = 409, description = "no place is offered to me, or the offer expired")))]
#[post("/v1/events/{id}/registrations/me/decline")]
pub async fn decline(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let now = state.settings.clock.now();
    answer_offer::decline_offer(&infra, caller.id, id.into_inner(), now).await?;
    Ok(HttpResponse::NoContent().finish())
}
