//! Following and unfollowing, and the lists of followers and followed.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::auth_user::{AuthUser, MaybeAuthUser};
use common::list::{CsvRow, ListParams, ListRequest};
use common::{ApiError, Infra};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::domain::follows::{self, Side};
use crate::domain::{avatar, lookup};
use crate::state::SocialState;

async fn change_by_request(
    infra: &Infra,
    state: &SocialState,
    caller: &AuthUser,
    username: &str,
    start: bool,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let me = lookup::ensure_caller(infra, state, caller).await?;
    let other = lookup::by_name(infra, state, username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no user {username:?}")))?;
    follows::change(infra, &me, &other, start).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "follows",
    security(("bearer" = [])),
    responses((status = 204, description = "following (also when already following)"),
              (status = 400, description = "yourself"), (status = 404)))]
#[post("/v1/users/{username}/follow")]
pub async fn follow(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: AuthUser,
    username: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    change_by_request(&infra, &state, &caller, &username, true).await
}

#[utoipa::path(tag = "follows",
    security(("bearer" = [])),
    responses((status = 204, description = "not following (also when not following before)"),
              (status = 404)))]
#[delete("/v1/users/{username}/follow")]
pub async fn unfollow(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: AuthUser,
    username: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    change_by_request(&infra, &state, &caller, &username, false).await
}

/// A follower, or someone followed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Connection {
    pub id: uuid::Uuid,
    pub username: String,
    pub avatar_url: String,
    /// When the follow began.
    pub since: DateTime<Utc>,
}

impl CsvRow for Connection {
    fn csv_header() -> &'static [&'static str] {
        &["id", "username", "since"]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.username.clone(),
            self.since.to_rfc3339(),
        ]
    }
}

async fn list(
    req: HttpRequest,
    infra: &Infra,
    state: &SocialState,
    caller: MaybeAuthUser,
    username: &str,
    params: ListParams,
    side: Side,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params, db::follows::SORTS, "-since", &req)?;
    request.authorize_export(caller.0.as_ref())?;
    let user = lookup::by_name(infra, state, username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no user {username:?}")))?;
    let (rows, total) = follows::page(infra, &user, side, &request).await?;
    let items = rows
        .into_iter()
        .map(|r| Connection {
            id: r.id,
            avatar_url: avatar::url(&r.email, 48),
            username: r.username,
            since: r.since,
        })
        .collect();
    Ok(request.respond(items, total))
}

#[utoipa::path(tag = "follows", params(ListParams, ("sort" = Option<String>, Query, pattern = "^([-+]?(username|since)(,[-+]?(username|since))*)?$", description = "Comma-separated sort fields, `-` first for descending: username, since.")),
    responses((status = 200, description = "a page of who follows the user; sort by username or since"),
              (status = 404)))]
#[get("/v1/users/{username}/followers")]
pub async fn followers(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: MaybeAuthUser,
    username: web::Path<String>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    list(
        req,
        &infra,
        &state,
        caller,
        &username,
        params.into_inner(),
        Side::Followers,
    )
    .await
}

#[utoipa::path(tag = "follows", params(ListParams, ("sort" = Option<String>, Query, pattern = "^([-+]?(username|since)(,[-+]?(username|since))*)?$", description = "Comma-separated sort fields, `-` first for descending: username, since.")),
    responses((status = 200, description = "a page of whom the user follows; sort by username or since"),
              (status = 404)))]
#[get("/v1/users/{username}/following")]
pub async fn following(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: MaybeAuthUser,
    username: web::Path<String>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    list(
        req,
        &infra,
        &state,
        caller,
        &username,
        params.into_inner(),
        Side::Following,
    )
    .await
}
