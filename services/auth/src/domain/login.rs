//! Password login: throttled per account and address; the same answer for an
//! unknown login and a wrong password, after the same work.

use common::{db, ApiError, Infra};

use crate::db::models::status;
use crate::db::users;
use crate::domain::session::{self, TokenPair};
use crate::domain::throttle;
use crate::state::AuthState;

const WRONG: &str = "wrong username, email or password";

/// Checks `password` for `login` (a username or email) from `address` and
/// opens a session.
pub async fn login(
    infra: &Infra,
    state: &std::sync::Arc<AuthState>,
    login: String,
    password: String,
    address: String,
) -> Result<TokenPair, ApiError> {
    let limits = state.settings.throttle;
    throttle::check(&state.redis, limits, &login, &address).await?;
    let lookup = login.clone();
    let user = db::run(&infra.pool, move |conn| {
        Ok(users::find_by_login(conn, &lookup)?)
    })
    .await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    if !state.hasher.verify_blocking(password, hash).await? {
        throttle::record_failure(&state.redis, limits, &login, &address).await;
        infra.metrics.count("login_failed");
        return Err(ApiError::unauthorized(WRONG));
    }
    let Some(user) = user else {
        return Err(ApiError::unauthorized(WRONG));
    };
    match user.status.as_str() {
        status::ACTIVE => {}
        status::PENDING => {
            return Err(ApiError::forbidden(
                "this account is waiting for an administrator's approval",
            ))
        }
        status::DECLINED => {
            return Err(ApiError::forbidden(
                "this account's registration was declined",
            ))
        }
        _ => return Err(ApiError::forbidden("this account has been deactivated")),
    }
    throttle::record_success(&state.redis, &login).await;
    let state = state.clone();
    let pair = db::transaction(&infra.pool, move |conn| {
        users::touch_login(conn, user.id)?;
        session::issue(conn, &state, &user, None)
    })
    .await?;
    infra.metrics.count("login_succeeded");
    Ok(pair)
}
