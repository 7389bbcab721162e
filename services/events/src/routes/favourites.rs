//! Favourite events (the list's `favourites=true` filter).

use actix_web::{delete, put, web, HttpResponse};
use common::{ApiError, AuthUser, Infra};
use uuid::Uuid;

use crate::domain::actions::favourites;

async fn set(
    infra: &Infra,
    caller: &AuthUser,
    event_id: Uuid,
    on: bool,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    favourites::set_favourite(infra, caller.id, event_id, on).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "events", security(("bearer" = [])),
    responses((status = 204, description = "a favourite (also when it was)"), (status = 401), (status = 404)))]
#[put("/v1/events/{id}/favourite")]
pub async fn add_favourite(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    set(&infra, &caller, id.into_inner(), true).await
}

#[utoipa::path(tag = "events", security(("bearer" = [])),
    responses((status = 204, description = "not a favourite (also when it was not)"), (status = 401), (status = 404)))]
#[delete("/v1/events/{id}/favourite")]
pub async fn remove_favourite(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    set(&infra, &caller, id.into_inner(), false).await
}
