//! Login throttling in Redis, per account and per client address. Without
//! Redis, logins still work (unthrottled) and a warning is logged.

use actix_web::HttpRequest;
use common::cache::Redis;
use common::ApiError;

use crate::settings::Throttle;

fn account_key(redis: &Redis, login: &str) -> String {
    redis.key(&format!("login-fail:account:{}", login.to_lowercase()))
}

fn address_key(redis: &Redis, address: &str) -> String {
    redis.key(&format!("login-fail:address:{address}"))
}

/// 429 with `Retry-After` while either counter is over its limit.
pub async fn check(
    redis: &Redis,
    limits: Throttle,
    login: &str,
    address: &str,
) -> Result<(), ApiError> {
    let mut pipe = redis::pipe();
    pipe.cmd("GET").arg(account_key(redis, login));
    pipe.cmd("TTL").arg(account_key(redis, login));
    pipe.cmd("GET").arg(address_key(redis, address));
    pipe.cmd("TTL").arg(address_key(redis, address));
    let Some((account, account_ttl, by_address, address_ttl)) = redis
        .run_pipeline::<(Option<u32>, i64, Option<u32>, i64)>(&pipe)
        .await
    else {
        return Ok(());
    };
    let wait = |ttl: i64| u64::try_from(ttl).unwrap_or(limits.window_secs).max(1);
    if account.unwrap_or(0) >= limits.per_account {
        return Err(ApiError::too_many(
            "too many failed logins for this account; wait before trying again",
            wait(account_ttl),
        ));
    }
    if by_address.unwrap_or(0) >= limits.per_address {
        return Err(ApiError::too_many(
            "too many failed logins from your address; wait before trying again",
            wait(address_ttl),
        ));
    }
    Ok(())
}

/// Counts a failed login against the account and the address.
pub async fn record_failure(redis: &Redis, limits: Throttle, login: &str, address: &str) {
    let mut pipe = redis::pipe();
    for key in [account_key(redis, login), address_key(redis, address)] {
        pipe.cmd("INCR").arg(&key).ignore();
        pipe.cmd("EXPIRE")
            .arg(&key)
            .arg(limits.window_secs)
            .arg("NX")
            .ignore();
    }
    let _ = redis.run_pipeline::<()>(&pipe).await;
}

/// A successful login clears the account's counter.
pub async fn record_success(redis: &Redis, login: &str) {
    let _ = redis
        .run::<()>(redis::cmd("DEL").arg(account_key(redis, login)))
        .await;
}

/// The client's address: nginx's `X-Real-IP` when the peer is a local proxy,
/// otherwise the peer itself (so the header cannot be forged from outside).
pub fn client_address(req: &HttpRequest) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    let from_proxy = peer.is_some_and(|ip| ip.is_loopback());
    if from_proxy {
        if let Some(real) = req.headers().get("x-real-ip").and_then(|v| v.to_str().ok()) {
            if real.parse::<std::net::IpAddr>().is_ok() {
                return real.to_owned();
            }
        }
    }
    peer.map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Reset links one address may be sent per hour, so the endpoint cannot be
/// used to flood someone's mailbox.
pub const RESETS_PER_HOUR: u32 = 3;

/// Counts a reset request for `email`; false once the hourly allowance is used.
/// Without Redis every request is allowed.
pub async fn allow_reset(redis: &Redis, email: &str) -> bool {
    let key = redis.key(&format!("reset:{}", email.to_lowercase()));
    let mut pipe = redis::pipe();
    pipe.cmd("INCR").arg(&key);
    pipe.cmd("EXPIRE").arg(&key).arg(3600).arg("NX").ignore();
    match redis.run_pipeline::<(u32,)>(&pipe).await {
        Some((count,)) => count <= RESETS_PER_HOUR,
        None => true,
    }
}
