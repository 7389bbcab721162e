//! Moderation: hiding (flagging) and showing messages again. Flagged messages
//! leave every timeline, the web pages and the simulator's `GET /msgs`.

use actix_web::{web, HttpResponse};
use common::auth_user::AuthUser;
use common::{db, ApiError, Infra};

use super::timelines::{page, MessagePage, PageParams};
use crate::db::messages::{self, Timeline};
use crate::domain::permissions::require_moderator;

async fn set(
    infra: &Infra,
    caller: &AuthUser,
    id: i64,
    flagged: bool,
) -> Result<HttpResponse, ApiError> {
    require_moderator(caller)?;
    let found = db::run(&infra.pool, move |conn| {
        Ok(messages::set_flagged(conn, id, flagged)?)
    })
    .await?;
    if !found {
        return Err(ApiError::not_found(format!("no message {id}")));
    }
    tracing::info!(message = id, flagged, moderator = %caller.id, "message moderated");
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/v1/messages/{id}/flag", tag = "moderation",
    security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn flag(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    set(&infra, &caller, id.into_inner(), true).await
}

#[utoipa::path(delete, path = "/v1/messages/{id}/flag", tag = "moderation",
    security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn unflag(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    set(&infra, &caller, id.into_inner(), false).await
}

#[utoipa::path(get, path = "/v1/messages/flagged", tag = "moderation", params(PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = MessagePage), (status = 403)))]
pub async fn flagged(
    infra: web::Data<Infra>,
    caller: AuthUser,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    require_moderator(&caller)?;
    Ok(HttpResponse::Ok().json(page(&infra, Timeline::Flagged, &params).await?))
}
