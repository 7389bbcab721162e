//! Password login: throttled per account, per address and per known device
//! (see domain::throttle); the same answer for an unknown login and a wrong
//! password, after the same work.

use std::sync::Arc;

use common::{db, ApiError, Infra};
use uuid::Uuid;

use crate::db::models::{status, User};
use crate::db::{devices, users};
use crate::domain::refusal::Refusal;
use crate::domain::secret;
use crate::domain::session::{self, TokenPair};
use crate::domain::throttle::{self, Attempt};
use crate::state::AuthState;

/// One login attempt as the client sent it.
pub struct Credentials {
    /// A username or email address.
    pub login: String,
    pub password: String,
    /// The client's address (from the trusted proxies, or from the service
    /// that logs its visitor in).
    pub address: String,
    /// The device token an earlier login from this browser or app returned.
    pub device_token: Option<String>,
}

/// Checks the password and opens a session; the answer carries a device
/// token for the client to present next time.
pub async fn login(
    infra: &Infra,
    state: &Arc<AuthState>,
    credentials: Credentials,
) -> Result<TokenPair, ApiError> {
    let Credentials {
        login,
        password,
        address,
        device_token,
    } = credentials;
    let login = login.trim().to_owned();
    if login.is_empty() || password.is_empty() {
        return Err(Refusal::LoginFieldsMissing.into());
    }
    let device_token = device_token.filter(|t| !t.is_empty() && t.len() <= 128);
    if login.len() > 320 || password.len() > crate::domain::validate::PASSWORD_MAX {
        // No account has such a name or password; answer as for any wrong login.
        return Err(Refusal::WrongCredentials.into());
    }
    let presented = device_token.clone();
    let typed = login.clone();
    let (user, device) = db::run(&infra.pool, move |conn| {
        let user = users::find_by_login(conn, &login)?;
        let device = match (&user, &presented) {
            (Some(user), Some(token)) => devices::find(conn, user.id, &secret::digest(token))?,
            _ => None,
        };
        Ok((user, device))
    })
    .await?;
    let attempt = Attempt {
        account: user.as_ref().map(|u| u.id),
        login: &typed,
        address: &address,
        device,
    };
    let limits = state.settings.throttle;
    throttle::check(&state.redis, limits, attempt).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    if !state.hasher.verify_blocking(password, hash).await? {
        throttle::record_failure(&state.redis, limits, attempt).await;
        infra.metrics.count("login_failed");
        return Err(Refusal::WrongCredentials.into());
    }
    let Some(user) = user else {
        return Err(Refusal::WrongCredentials.into());
    };
    ensure_may_log_in(&user)?;
    throttle::record_success(&state.redis, attempt).await;
    let state = state.clone();
    let pair = db::transaction(&infra.pool, move |conn| {
        users::touch_login(conn, user.id)?;
        let device_token = remember_device(conn, user.id, device, device_token)?;
        let mut pair = session::issue(conn, &state, &user, None)?;
        pair.device_token = Some(device_token);
        Ok(pair)
    })
    .await?;
    infra.metrics.count("login_succeeded");
    Ok(pair)
}

/// Only active accounts log in; the others are told why.
fn ensure_may_log_in(user: &User) -> Result<(), ApiError> {
    match user.status.as_str() {
        status::ACTIVE => Ok(()),
        status::PENDING => Err(Refusal::AwaitingApproval.into()),
        status::DECLINED => Err(Refusal::RegistrationDeclined.into()),
        _ => Err(Refusal::Deactivated.into()),
    }
}

/// The device token to hand back: the one presented if it is a known device
/// of this account, else a new one now remembered.
fn remember_device(
    conn: &mut diesel::PgConnection,
    user_id: Uuid,
    known: Option<Uuid>,
    presented: Option<String>,
) -> Result<String, ApiError> {
    if let (Some(device), Some(token)) = (known, presented) {
        devices::touch(conn, device)?;
        return Ok(token);
    }
    let token = secret::generate()?;
    devices::insert(conn, user_id, &secret::digest(&token))?;
    Ok(token)
}
