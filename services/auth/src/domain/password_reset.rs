//! Password reset: a single-use link by email, then a new password with
//! it. Asking never tells whether an account uses the address; using the
//! link ends every session of the account.

use chrono::{DateTime, Duration, Utc};
use common::{db, ApiError, Infra};
use contracts::auth::{PasswordReset, PasswordResetRequested};

use crate::db::models::status;
use crate::db::{tokens, users};
use crate::domain::refusal::Refusal;
use crate::domain::{events, secret, throttle, validate};
use crate::state::AuthState;

/// How long a reset link works.
const LINK_VALIDITY: Duration = Duration::hours(1);

/// Mails a reset link (valid from `now` for an hour) to the active account
/// using `email`, if there is one and the address asked at most 3 times this
/// hour; nothing tells the caller which.
pub async fn request(
    infra: &Infra,
    state: &AuthState,
    email: String,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if !throttle::allow_reset(&state.redis, &email).await {
        tracing::info!("password reset requests for one address over the hourly limit; ignored");
        return Ok(());
    }
    let reset_url = state.settings.reset_url.clone();
    infra
        .transaction(move |conn| {
            let Some(user) = users::find_by_email(conn, &email)? else {
                return Ok(());
            };
            if user.status != status::ACTIVE {
                return Ok(());
            }
            let token = secret::generate()?;
            let expires_at = now + LINK_VALIDITY;
            tokens::insert_reset(conn, user.id, &secret::digest(&token), expires_at)?;
            common::outbox::publish(
                conn,
                &PasswordResetRequested(PasswordReset {
                    user_id: user.id,
                    username: user.username,
                    email: user.email,
                    reset_url: format!("{reset_url}?token={token}"),
                    expires_at,
                }),
            )?;
            Ok(())
        })
        .await
}

/// Sets `new_password` on the account of the link's `token`; 400
/// `reset_link_invalid` for a link invalid, used or expired.
pub async fn confirm(
    infra: &Infra,
    state: &AuthState,
    token: String,
    new_password: String,
) -> Result<(), ApiError> {
    validate::new_password(&new_password)?;
    let digest = secret::digest(token.trim());
    // The cheap check first: nobody makes auth hash passwords for made-up links.
    let lookup = digest.clone();
    if !db::run(&infra.pool, move |conn| {
        Ok(tokens::reset_is_usable(conn, &lookup)?)
    })
    .await?
    {
        return Err(Refusal::ResetLinkInvalid.into());
    }
    let hash = state.hasher.hash_blocking(new_password).await?;
    infra
        .transaction(move |conn| {
            let Some(user_id) = tokens::consume_reset(conn, &digest)? else {
                return Err(Refusal::ResetLinkInvalid.into());
            };
            users::set_password(conn, user_id, &hash)?;
            tokens::revoke_user_sessions(conn, user_id, None)?;
            // The new security stamp ends the account's sessions elsewhere.
            let user = users::find(conn, user_id)?;
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(())
        })
        .await
}
