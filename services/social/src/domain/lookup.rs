//! Finding users by name or id in the local copy, asking auth for those whose
//! registration event has not arrived yet.

use common::auth_user::AuthUser;
use common::{db, ApiError, Infra};

use crate::db::users::{self, User};
use crate::state::SocialState;

/// The user with this name (any case), or `None` when auth has no such user.
pub async fn by_name(
    infra: &Infra,
    state: &SocialState,
    username: &str,
) -> Result<Option<User>, ApiError> {
    let lookup = username.to_owned();
    if let Some(user) = db::run(&infra.pool, move |conn| {
        Ok(users::by_username(conn, &lookup)?)
    })
    .await?
    {
        return Ok(Some(user));
    }
    fetch(infra, state, username).await
}

/// Makes sure the caller of a request is in the local copy (their
/// registration event may still be on its way), so their writes can refer to them.
pub async fn ensure_caller(
    infra: &Infra,
    state: &SocialState,
    caller: &AuthUser,
) -> Result<User, ApiError> {
    let id = caller.id;
    if let Some(user) = db::run(&infra.pool, move |conn| Ok(users::by_id(conn, id)?)).await? {
        return Ok(user);
    }
    match fetch(infra, state, &caller.username).await? {
        Some(user) if user.id == caller.id => Ok(user),
        _ => Err(ApiError::forbidden(
            "your account is not known to the platform any more",
        )),
    }
}

/// Asks auth for the user and remembers them.
async fn fetch(
    infra: &Infra,
    state: &SocialState,
    username: &str,
) -> Result<Option<User>, ApiError> {
    let found = state
        .auth
        .find_by_username(username)
        .await
        .map_err(|error| {
            tracing::warn!(%error, "cannot look a user up in auth");
            ApiError::unavailable("the identity service cannot be reached; try again shortly")
        })?;
    let Some(found) = found else {
        return Ok(None);
    };
    let user = User {
        id: found.id,
        username: found.username.clone(),
        // Simulator accounts are stored when they register, never fetched.
        simulator: false,
    };
    db::run(&infra.pool, move |conn| {
        Ok(users::remember(
            conn,
            found.id,
            &found.username,
            &found.email,
            &found.status,
        )?)
    })
    .await?;
    Ok(Some(user))
}
