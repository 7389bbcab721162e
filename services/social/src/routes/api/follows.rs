//! Following and unfollowing, and the lists of followers and followed.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::auth_user::{AuthUser, MaybeAuthUser};
use common::list::{CsvRow, ListParams, ListRequest};
use common::{db, ApiError, Infra};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::follows;
use crate::db::messages::Author;
use crate::db::users::User;
use crate::domain::{avatar, events, lookup};
use crate::state::SocialState;

/// Follows or unfollows `followee` as `follower`, publishing the event when
/// the pair really changed. Both must be in the local copy of users.
pub async fn change(
    infra: &Infra,
    follower: &User,
    followee: &User,
    follow: bool,
) -> Result<(), ApiError> {
    if follower.id == followee.id {
        return Err(ApiError::bad_request("you cannot follow yourself"));
    }
    let envelope = events::follow_changed(follow);
    let (who, whom) = (Author::Id(follower.id), followee.username.clone());
    db::run(&infra.pool, move |conn| {
        Ok(follows::change_by_name(
            conn, &who, &whom, follow, &envelope, None,
        )?)
    })
    .await?;
    infra.outbox.wake();
    Ok(())
}

async fn change_by_request(
    infra: &Infra,
    state: &SocialState,
    caller: &AuthUser,
    username: &str,
    follow: bool,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let me = lookup::ensure_caller(infra, state, caller).await?;
    let other = lookup::by_name(infra, state, username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no user {username:?}")))?;
    change(infra, &me, &other, follow).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/v1/users/{username}/follow", tag = "follows",
    security(("bearer" = [])),
    responses((status = 204, description = "following (also when already following)"),
              (status = 400, description = "yourself"), (status = 404)))]
pub async fn follow(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: AuthUser,
    username: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    change_by_request(&infra, &state, &caller, &username, true).await
}

#[utoipa::path(delete, path = "/v1/users/{username}/follow", tag = "follows",
    security(("bearer" = [])),
    responses((status = 204, description = "not following (also when not following before)"),
              (status = 404)))]
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
    followers: bool,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params, follows::SORTS, "-since", &req)?;
    request.authorize_export(caller.0.as_ref())?;
    let user = lookup::by_name(infra, state, username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no user {username:?}")))?;
    let query = request.clone();
    let (rows, total) = db::run(&infra.pool, move |conn| {
        Ok(follows::related(conn, user.id, followers, &query)?)
    })
    .await?;
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

#[utoipa::path(get, path = "/v1/users/{username}/followers", tag = "follows", params(ListParams),
    responses((status = 200, description = "a page of who follows the user; sort by username or since"),
              (status = 404)))]
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
        true,
    )
    .await
}

#[utoipa::path(get, path = "/v1/users/{username}/following", tag = "follows", params(ListParams),
    responses((status = 200, description = "a page of whom the user follows; sort by username or since"),
              (status = 404)))]
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
        false,
    )
    .await
}
