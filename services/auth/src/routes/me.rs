//! The caller's own account: /v1/me, /v1/me/password, /v1/me/permissions.

use actix_web::{get, patch, post, web, HttpResponse};
use common::auth_user::AnyAuthUser;
use common::{ApiError, AuthUser, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::db::models::UserView;
use crate::domain::refusal::Refusal;
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
    let user = users::get_user(&infra, caller.id).await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    #[schema(min_length = 1, max_length = 64, pattern = r"^[\w.-]+( [\w.-]+)*$")]
    pub username: Option<String>,
    /// A new address takes effect only when the link mailed to it is
    /// followed (`POST /v1/me/email/confirm`); needs `current_password`.
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[schema(max_length = 200)]
    pub full_name: Option<String>,
    /// Required to change the email address.
    #[schema(format = Password)]
    pub current_password: Option<String>,
}

/// The account after the change, and the address waiting for confirmation.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct MeUpdated {
    #[serde(flatten)]
    pub user: UserView,
    /// Set when an email change waits for its link to be followed.
    pub pending_email: Option<String>,
}

#[utoipa::path(tag = "me", request_body = UpdateMe, security(("bearer" = [])),
    responses((status = 200, body = MeUpdated, description = "changed; a new email address waits for its confirmation link"),
              (status = 400, description = "an email change without current_password"),
              (status = 403, description = "current_password is wrong"),
              (status = 409), (status = 422)))]
#[patch("/v1/me")]
pub async fn update_me(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    caller: AuthUser,
    body: common::Json<UpdateMe>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let UpdateMe {
        username,
        email,
        full_name,
        current_password,
    } = body.into_inner();
    let change = users::MyChange {
        username,
        email,
        full_name,
        current_password,
    };
    let (user, pending_email) = users::change_mine(&infra, &state, caller.id, change).await?;
    Ok(HttpResponse::Ok().json(MeUpdated {
        user: UserView::from(user),
        pending_email,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmEmail {
    /// The `token` of the link mailed to the new address.
    #[schema(format = Password, min_length = 1)]
    pub token: String,
}

#[utoipa::path(tag = "me", request_body = ConfirmEmail,
    responses((status = 200, body = UserView, description = "the account now uses the new address"),
              (status = 400, description = "link invalid, used or expired"),
              (status = 409, description = "the address was taken meanwhile")))]
#[post("/v1/me/email/confirm")]
pub async fn confirm_email(
    infra: web::Data<Infra>,
    body: common::Json<ConfirmEmail>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().token;
    match users::confirm_email_change(&infra, token).await? {
        Some(user) => Ok(HttpResponse::Ok().json(UserView::from(user))),
        None => Err(Refusal::ConfirmLinkInvalid.into()),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePassword {
    #[schema(format = Password)]
    pub old_password: String,
    /// At least 8 characters (at most 1,024 bytes).
    #[schema(format = Password, min_length = 8, max_length = 256)]
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
    body: common::Json<ChangePassword>,
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
