//! The caller's own account: /v1/me, /v1/me/password, /v1/me/permissions.

use actix_web::{get, patch, post, web, HttpResponse};
use common::auth_user::AnyAuthUser;
use common::{db, ApiError, AuthUser, Infra, Validator};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::db::models::UserView;
use crate::domain::what_i_may_do::{self, Permissions};
use crate::domain::{users, validate};
use crate::state::AuthState;

#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401)))]
#[get("/v1/me")]
pub async fn get_me(
    infra: web::Data<Infra>,
    AnyAuthUser(caller): AnyAuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let user = db::run(&infra.pool, move |conn| {
        Ok(crate::db::users::find(conn, caller.id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    pub username: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
}

#[utoipa::path(tag = "me", request_body = UpdateMe, security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 409), (status = 422)))]
#[patch("/v1/me")]
pub async fn update_me(
    infra: web::Data<Infra>,
    caller: AuthUser,
    body: web::Json<UpdateMe>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let UpdateMe {
        username,
        email,
        full_name,
    } = body.into_inner();
    let email = email.map(|e| e.trim().to_owned());
    let full_name = full_name.map(|n| n.trim().to_owned());
    let mut v = Validator::new();
    if let Some(username) = &username {
        validate::username(&mut v, username);
    }
    if let Some(email) = &email {
        validate::email(&mut v, email);
    }
    if let Some(name) = &full_name {
        v.check(
            name.chars().count() <= 200,
            "full_name",
            "must be at most 200 characters",
        );
    }
    v.finish()?;
    let changes = users::ProfileChanges {
        username,
        email,
        full_name,
    };
    let user = users::update_profile(&infra, caller.id, changes).await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePassword {
    pub old_password: String,
    pub new_password: String,
}

#[utoipa::path(tag = "me", request_body = ChangePassword, security(("bearer" = [])),
    responses((status = 204, description = "changed; every other session is logged out"),
              (status = 403, description = "old password wrong"), (status = 422)))]
#[post("/v1/me/password")]
pub async fn change_password(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    AnyAuthUser(caller): AnyAuthUser,
    body: web::Json<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let ChangePassword {
        old_password,
        new_password,
    } = body.into_inner();
    validate::new_password(&new_password)?;
    users::change_password(
        &infra,
        &state,
        caller.id,
        old_password,
        new_password,
        caller.session,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Permissions)))]
#[get("/v1/me/permissions")]
pub async fn permissions(
    infra: web::Data<Infra>,
    AnyAuthUser(caller): AnyAuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let permissions = what_i_may_do::of(&infra, caller.id).await?;
    Ok(HttpResponse::Ok().json(permissions))
}
