//! Moderation: hiding (flagging) and showing messages again. Flagged messages
//! leave every timeline, the web pages and the simulator's `GET /msgs`.

use actix_web::{delete, get, post, web, HttpResponse};
use common::auth_user::AuthUser;
use common::{ApiError, Infra};

use crate::domain;

use super::timelines::{page, MessagePage, PageParams};
use crate::db::messages::Timeline;
use crate::domain::permissions::require_moderator;

async fn set(
    infra: &Infra,
    caller: &AuthUser,
    id: i64,
    hidden: bool,
) -> Result<HttpResponse, ApiError> {
    require_moderator(caller)?;
    domain::messages::set_flagged(infra, caller, id, hidden).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "moderation",
    security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
#[post("/v1/messages/{id}/flag")]
pub async fn flag(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    set(&infra, &caller, id.into_inner(), true).await
}

#[utoipa::path(tag = "moderation",
    security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
#[delete("/v1/messages/{id}/flag")]
pub async fn unflag(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    set(&infra, &caller, id.into_inner(), false).await
}

#[utoipa::path(tag = "moderation", params(PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = MessagePage), (status = 403)))]
#[get("/v1/messages/flagged")]
pub async fn flagged(
    infra: web::Data<Infra>,
    caller: AuthUser,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    require_moderator(&caller)?;
    Ok(HttpResponse::Ok().json(page(&infra, Timeline::Flagged, &params).await?))
}
