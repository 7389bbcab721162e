//! A session's life after login: rotating its refresh token, and ending it.
//! A refresh token is single use; one presented again revokes its whole
//! session (it was stolen, or its owner's copy was).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use common::{db, ApiError, Infra};

use crate::db::models::status;
use crate::db::{tokens, users};
use crate::domain::refusal::Refusal;
use crate::domain::secret;
use crate::domain::session::{self, TokenPair};
use crate::state::AuthState;

enum Outcome {
    Rotated(TokenPair),
    Rejected(Refusal),
}

/// A new token pair for `refresh_token` at `now`; 401 `refresh_invalid`,
/// `session_ended`, `refresh_reused`, `refresh_expired` or `account_inactive`.
pub async fn refresh(
    infra: &Infra,
    state: Arc<AuthState>,
    refresh_token: &str,
    now: DateTime<Utc>,
) -> Result<TokenPair, ApiError> {
    let hash = secret::digest(refresh_token.trim());
    // Rejections still commit: a reused token must revoke its family for good.
    let outcome = db::transaction(&infra.pool, move |conn| {
        let Some(token) = tokens::find_refresh_for_update(conn, &hash)? else {
            return Ok(Outcome::Rejected(Refusal::RefreshInvalid));
        };
        if token.revoked_at.is_some() {
            return Ok(Outcome::Rejected(Refusal::SessionEnded));
        }
        if token.used_at.is_some() {
            tokens::revoke_family(conn, token.family_id)?;
            tracing::warn!(user_id = %token.user_id, "refresh token reused; session revoked");
            return Ok(Outcome::Rejected(Refusal::RefreshReused));
        }
        if token.expires_at <= now {
            return Ok(Outcome::Rejected(Refusal::RefreshExpired));
        }
        let user = users::find(conn, token.user_id)?;
        if user.status != status::ACTIVE {
            tokens::revoke_family(conn, token.family_id)?;
            return Ok(Outcome::Rejected(Refusal::AccountInactive));
        }
        tokens::mark_used(conn, token.id)?;
        session::issue(conn, &state, &user, Some(token.family_id)).map(Outcome::Rotated)
    })
    .await?;
    match outcome {
        Outcome::Rotated(pair) => Ok(pair),
        Outcome::Rejected(why) => Err(why.into()),
    }
}

/// Ends the session of `refresh_token` (also when it already ended).
pub async fn logout(infra: &Infra, refresh_token: &str) -> Result<(), ApiError> {
    let hash = secret::digest(refresh_token.trim());
    db::transaction(&infra.pool, move |conn| {
        if let Some(token) = tokens::find_refresh_for_update(conn, &hash)? {
            tokens::revoke_family(conn, token.family_id)?;
        }
        Ok(())
    })
    .await
}
