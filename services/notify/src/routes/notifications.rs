//! My notifications: list, unread count, mark read. Only ever the caller's own.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use common::auth_user::AuthUser;
use common::list::{ListParams, ListRequest};
use common::{db, ApiError, Infra};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::db::notifications;

#[derive(Debug, Deserialize, IntoParams)]
pub struct Filter {
    /// `true`: unread ones only.
    pub unread: Option<bool>,
}

#[utoipa::path(tag = "notifications", params(ListParams, Filter, ("sort" = Option<String>, Query, pattern = "^([-+]?(created_at)(,[-+]?(created_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: created_at.")),
    security(("bearer" = [])),
    responses((status = 200, description = "a page of my notifications, newest first by default (sort: created_at)"),
              (status = 401)))]
#[get("/v1/notifications")]
pub async fn list(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: AuthUser,
    params: web::Query<ListParams>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let request = ListRequest::parse(
        params.into_inner(),
        notifications::SORT_FIELDS,
        "-created_at",
        &req,
    )?;
    let (user, unread, query) = (caller.id, filter.unread.unwrap_or(false), request.clone());
    let (rows, total) = db::run(&infra.pool, move |conn| {
        Ok(notifications::list(conn, user, unread, &query)?)
    })
    .await?;
    Ok(request.respond(rows, total))
}

#[utoipa::path(tag = "notifications",
    security(("bearer" = [])), responses((status = 200, description = "{\"unread\": n}")))]
#[get("/v1/notifications/unread-count")]
pub async fn unread_count(
    infra: web::Data<Infra>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let user = caller.id;
    let unread = db::run(&infra.pool, move |conn| {
        Ok(notifications::unread_count(conn, user)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "unread": unread })))
}

#[utoipa::path(tag = "notifications",
    security(("bearer" = [])), responses((status = 204), (status = 404, description = "not one of mine")))]
#[post("/v1/notifications/{id}/read")]
pub async fn read_one(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let (user, id) = (caller.id, id.into_inner());
    let found = db::run(&infra.pool, move |conn| {
        Ok(notifications::mark_read(conn, user, id)?)
    })
    .await?;
    if !found {
        // Someone else's and missing look the same.
        return Err(ApiError::not_found(format!(
            "you have no notification {id}"
        )));
    }
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "notifications",
    security(("bearer" = [])), responses((status = 200, description = "{\"marked\": n}")))]
#[post("/v1/notifications/read-all")]
pub async fn read_all(infra: web::Data<Infra>, caller: AuthUser) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let user = caller.id;
    let marked = db::run(&infra.pool, move |conn| {
        Ok(notifications::mark_all_read(conn, user)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "marked": marked })))
}
