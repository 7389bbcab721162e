//! Account changes after sign-up: status transitions and roles (by
//! administrators), profile and password (by the person). Each commits with
//! its `auth.user.updated` event.

use common::{db, ApiError, Infra};
use diesel::OptionalExtension;
use uuid::Uuid;

use crate::db::models::{status, User};
use crate::db::{tokens, users};
use crate::domain::accounts::ensure_free;
use crate::domain::events;
use crate::state::AuthState;

/// Moves a user to `to` if their status is one of `from`, publishes the
/// change, and ends all their sessions unless the account is active.
pub async fn transition(
    infra: &Infra,
    id: Uuid,
    from: &'static [&'static str],
    to: &'static str,
    reason: Option<String>,
) -> Result<User, ApiError> {
    infra
        .transaction(move |conn| {
            let current = users::find(conn, id)
                .optional()?
                .ok_or_else(|| ApiError::not_found(format!("no user {id}")))?;
            // Activating an active account the microblog made while approval
            // is on approves it.
            let approving = to == status::ACTIVE && !current.approved;
            if !from.contains(&current.status.as_str()) && !approving {
                return Err(ApiError::conflict(format!(
                    "the account is {}, so it cannot become {to}",
                    current.status
                )));
            }
            let user = users::set_status(conn, id, to, reason)?;
            if to != status::ACTIVE {
                tokens::revoke_user_sessions(conn, id, None)?;
            }
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(user)
        })
        .await
}

/// Replaces a user's platform roles (already checked) and publishes the change.
pub async fn set_roles(infra: &Infra, id: Uuid, roles: Vec<String>) -> Result<User, ApiError> {
    infra
        .transaction(move |conn| {
            let user = users::set_roles(conn, id, roles)?;
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(user)
        })
        .await
}

/// What a person may change of their own profile; `None` keeps the value.
pub struct ProfileChanges {
    pub username: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
}

/// Applies validated profile changes, refusing a name or address someone
/// else has, and publishes the change.
pub async fn update_profile(
    infra: &Infra,
    id: Uuid,
    changes: ProfileChanges,
) -> Result<User, ApiError> {
    infra
        .transaction(move |conn| {
            let current = users::find(conn, id)?;
            let username = changes.username.unwrap_or(current.username);
            let email = changes.email.unwrap_or(current.email);
            let full_name = changes.full_name.unwrap_or(current.full_name);
            ensure_free(conn, &username, &email, Some(id))?;
            let user = users::set_profile(conn, id, &username, &email, &full_name)?;
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(user)
        })
        .await
}

/// Changes a password after checking the current one; every session but
/// `keep` ends.
pub async fn change_password(
    infra: &Infra,
    state: &AuthState,
    id: Uuid,
    old_password: String,
    new_password: String,
    keep: Option<Uuid>,
) -> Result<(), ApiError> {
    let user = db::run(&infra.pool, move |conn| Ok(users::find(conn, id)?)).await?;
    if !state
        .hasher
        .verify_blocking(old_password, Some(user.password_hash))
        .await?
    {
        return Err(ApiError::forbidden("the current password is wrong"));
    }
    let hash = state.hasher.hash_blocking(new_password).await?;
    infra
        .transaction(move |conn| {
            users::set_password(conn, id, &hash)?;
            tokens::revoke_user_sessions(conn, id, keep)?;
            // The new security stamp ends the account's sessions elsewhere.
            let user = users::find(conn, id)?;
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(())
        })
        .await
}
