//! The caller's own account: /v1/me, /v1/me/password, /v1/me/permissions.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use common::{db, ApiError, AuthUser, Infra, Validator};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::models::{UserView, LEADER};
use crate::db::schema::users;
use crate::db::{groups, tokens};
use crate::domain::accounts::ensure_free;
use crate::domain::events;
use crate::domain::validate;
use crate::state::AuthState;

#[utoipa::path(get, path = "/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401)))]
pub async fn get_me(infra: web::Data<Infra>, caller: AuthUser) -> Result<HttpResponse, ApiError> {
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

#[utoipa::path(patch, path = "/v1/me", tag = "me", request_body = UpdateMe, security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 409), (status = 422)))]
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
    let user = db::transaction(&infra.pool, move |conn| {
        let current = crate::db::users::find(conn, caller.id)?;
        let username = username.unwrap_or(current.username);
        let email = email.unwrap_or(current.email);
        ensure_free(conn, &username, &email, Some(caller.id))?;
        let user: crate::db::models::User = diesel::update(users::table.find(caller.id))
            .set((
                users::username.eq(&username),
                users::email.eq(&email),
                users::full_name.eq(full_name.unwrap_or(current.full_name)),
                users::updated_at.eq(Utc::now()),
            ))
            .returning(crate::db::models::User::as_returning())
            .get_result(conn)?;
        common::outbox::publish(conn, &events::updated(&user))?;
        Ok(user)
    })
    .await?;
    infra.outbox.wake();
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePassword {
    pub old_password: String,
    pub new_password: String,
}

#[utoipa::path(post, path = "/v1/me/password", tag = "me", request_body = ChangePassword, security(("bearer" = [])),
    responses((status = 204, description = "changed; every other session is logged out"),
              (status = 403, description = "old password wrong"), (status = 422)))]
pub async fn change_password(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    caller: AuthUser,
    body: web::Json<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let ChangePassword {
        old_password,
        new_password,
    } = body.into_inner();
    validate::new_password(&new_password)?;
    let user_id = caller.id;
    let user = db::run(&infra.pool, move |conn| {
        Ok(crate::db::users::find(conn, user_id)?)
    })
    .await?;
    if !state
        .hasher
        .verify_blocking(old_password, Some(user.password_hash))
        .await?
    {
        return Err(ApiError::forbidden("the current password is wrong"));
    }
    let hash = state.hasher.hash_blocking(new_password).await?;
    let keep = caller.session;
    db::transaction(&infra.pool, move |conn| {
        crate::db::users::set_password(conn, user_id, &hash)?;
        tokens::revoke_user_sessions(conn, user_id, keep)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What the caller may do, for clients to build menus.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Permissions {
    pub user_id: uuid::Uuid,
    pub roles: Vec<String>,
    pub is_admin: bool,
    /// Platform-wide abilities, e.g. `users.manage`, `groups.create`, `messages.moderate`.
    pub can: Vec<String>,
    pub groups: Vec<GroupPermissions>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupPermissions {
    pub slug: String,
    pub role: String,
    pub can_manage_members: bool,
}

#[utoipa::path(get, path = "/v1/me/permissions", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Permissions)))]
pub async fn permissions(
    infra: web::Data<Infra>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let user_id = caller.id;
    let (user, memberships) = db::run(&infra.pool, move |conn| {
        Ok((
            crate::db::users::find(conn, user_id)?,
            groups::claims_for(conn, user_id)?,
        ))
    })
    .await?;
    let is_admin = user.roles.iter().any(|r| r == common::auth_user::ADMIN);
    let is_moderator = is_admin || user.roles.iter().any(|r| r == "moderator");
    let mut can = vec![
        "profile.edit".to_owned(),
        "messages.post".to_owned(),
        "events.register".to_owned(),
    ];
    if is_moderator {
        can.push("messages.moderate".into());
    }
    if is_admin {
        can.extend(
            [
                "users.manage",
                "users.export",
                "groups.create",
                "groups.manage",
                "clients.manage",
                "news.write",
            ]
            .map(String::from),
        );
    } else if memberships.iter().any(|m| m.role == LEADER) {
        can.push("news.write".into());
    }
    let groups = memberships
        .into_iter()
        .map(|m| GroupPermissions {
            can_manage_members: is_admin || m.role == LEADER,
            slug: m.slug,
            role: m.role,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Permissions {
        user_id,
        roles: user.roles,
        is_admin,
        can,
        groups,
    }))
}
