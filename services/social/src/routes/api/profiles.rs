//! A user's profile with counts.

use actix_web::{get, web, HttpResponse};
use common::auth_user::MaybeAuthUser;
use common::{db, ApiError, Infra};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{follows, messages, users};
use crate::domain::{avatar, lookup};
use crate::state::SocialState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    pub id: uuid::Uuid,
    pub username: String,
    pub avatar_url: String,
    /// Visible messages.
    pub messages: i64,
    pub followers: i64,
    pub following: i64,
    /// Whether the caller follows this user; null without a token.
    pub followed_by_me: Option<bool>,
}

#[utoipa::path(tag = "users",
    responses((status = 200, body = Profile), (status = 404)))]
#[get("/v1/users/{username}")]
pub async fn profile(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: MaybeAuthUser,
    username: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user = lookup::by_name(&infra, &state, &username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no user {:?}", username.as_str())))?;
    let viewer = caller.0.map(|c| c.id);
    let profile = db::run(&infra.pool, move |conn| {
        let email = users::email_of(conn, user.id)?.unwrap_or_default();
        let (followers, following) = follows::counts(conn, user.id)?;
        Ok(Profile {
            id: user.id,
            avatar_url: avatar::url(&email, 80),
            messages: messages::count_by(conn, user.id)?,
            followers,
            following,
            followed_by_me: match viewer {
                Some(viewer) => Some(follows::is_following(conn, viewer, user.id)?),
                None => None,
            },
            username: user.username,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(profile))
}
