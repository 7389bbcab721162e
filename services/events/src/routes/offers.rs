//! Answering an offered place: accept it, or decline it so that it is
//! offered to the next waiter.

use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use common::{ApiError, AuthUser, Infra};
use uuid::Uuid;

use super::views::{self, RegistrationView};
use crate::db::registrations;
use crate::domain::engine;

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 200, body = RegistrationView, description = "the place is mine: confirmed"),
              (status = 401), (status = 404, description = "not registered"),
              (status = 409, description = "no place is offered to me, or the offer expired")))]
#[post("/v1/events/{id}/registrations/me/accept")]
pub async fn accept(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let (event_id, user_id, username) = (id.into_inner(), caller.id, caller.username.clone());
    let view = infra
        .transaction(move |conn| {
            let mut event = engine::lock(conn, event_id)?;
            let registration = registrations::find(conn, event_id, user_id)?
                .ok_or_else(|| ApiError::not_found("you are not registered for this event"))?;
            let accepted = engine::accept_offer(conn, &mut event, &registration, Utc::now())?;
            Ok(views::own_registration(conn, accepted, username)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 204, description = "declined: my registration ended and the place goes to the next waiter"),
              (status = 401), (status = 404, description = "not registered"),
              (status = 409, description = "no place is offered to me, or the offer expired")))]
#[post("/v1/events/{id}/registrations/me/decline")]
pub async fn decline(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let (event_id, user_id) = (id.into_inner(), caller.id);
    infra
        .transaction(move |conn| {
            let mut event = engine::lock(conn, event_id)?;
            let registration = registrations::find(conn, event_id, user_id)?
                .ok_or_else(|| ApiError::not_found("you are not registered for this event"))?;
            engine::decline_offer(conn, &mut event, &registration, Utc::now())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
