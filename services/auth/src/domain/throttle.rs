//! Login throttling in Redis, built so an attacker cannot use it to lock
//! people out (OWASP's "device cookies"):
//! - failures count per account (by id, so username and email share one
//!   budget); past the limit the account is held back for an exponentially
//!   growing time;
//! - per client address, the distinct accounts (and unknown names) that
//!   failed count: password spraying is many accounts with a few guesses
//!   each, while the typos of a lecture hall behind one campus NAT are a few
//!   accounts each; so the limit is sized in the hundreds of accounts, and
//!   one person's repeated typos count once;
//! - a login that presents a known device of the account passes both limits;
//!   that device has a budget of its own, so a stolen device token is not a
//!   free pass either.
//!
//! Without Redis, logins still work (unthrottled) and a warning is logged.

use common::cache::Redis;
use common::ApiError;
use uuid::Uuid;

use crate::domain::refusal::Refusal;
use crate::settings::Throttle;

/// The first hold after the limit; it doubles with every further failure, up
/// to the throttle window.
const FIRST_HOLD_SECS: u64 = 30;

/// Who is trying to log in, as far as the throttles are concerned.
#[derive(Clone, Copy)]
pub struct Attempt<'a> {
    /// The account the login names, if there is one.
    pub account: Option<Uuid>,
    /// What was typed as the login (username or email), for an unknown
    /// account's place in its address's count; only a digest is stored.
    pub login: &'a str,
    /// The client's address.
    pub address: &'a str,
    /// A known device of that account that the client presented.
    pub device: Option<Uuid>,
}

/// Whose failure budget an attempt spends, and with what limit.
enum Budget {
    Device(Uuid),
    Account(Uuid),
}

fn failures_key(redis: &Redis, budget: &Budget) -> String {
    match budget {
        Budget::Device(id) => redis.key(&format!("login-fail:device:{id}")),
        Budget::Account(id) => redis.key(&format!("login-fail:account:{id}")),
    }
}

fn hold_key(redis: &Redis, budget: &Budget) -> String {
    match budget {
        Budget::Device(id) => redis.key(&format!("login-hold:device:{id}")),
        Budget::Account(id) => redis.key(&format!("login-hold:account:{id}")),
    }
}

/// The set of distinct accounts (or unknown names) that failed from an address.
fn address_key(redis: &Redis, address: &str) -> String {
    redis.key(&format!("login-fail-accounts:address:{address}"))
}

/// An attempt's member of its address's set: its account, or a digest of
/// the name typed (case and surrounding space aside).
fn address_member(attempt: &Attempt<'_>) -> String {
    match attempt.account {
        Some(account) => format!("a:{account}"),
        None => {
            let digest = crate::domain::secret::digest(&attempt.login.trim().to_lowercase());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("n:{hex}")
        }
    }
}

/// The budget an attempt spends: its known device's, else its account's.
fn budget(attempt: &Attempt<'_>) -> Option<Budget> {
    match (attempt.device, attempt.account) {
        (Some(device), _) => Some(Budget::Device(device)),
        (None, Some(account)) => Some(Budget::Account(account)),
        (None, None) => None,
    }
}

/// 429 with `Retry-After` while the attempt's account (or device) is held
/// back, or, for an unknown device, while its address is over the limit.
pub async fn check(redis: &Redis, limits: Throttle, attempt: Attempt<'_>) -> Result<(), ApiError> {
    let budget = budget(&attempt);
    let mut pipe = redis::pipe();
    match &budget {
        Some(budget) => pipe.cmd("TTL").arg(hold_key(redis, budget)),
        None => pipe.cmd("TTL").arg(redis.key("login-hold:none")),
    };
    pipe.cmd("SCARD").arg(address_key(redis, attempt.address));
    pipe.cmd("TTL").arg(address_key(redis, attempt.address));
    let Some((hold_ttl, by_address, address_ttl)) =
        redis.run_pipeline::<(i64, u32, i64)>(&pipe).await
    else {
        return Ok(());
    };
    if hold_ttl > 0 {
        let what = match budget {
            Some(Budget::Device(_)) => "this device",
            _ => "this account",
        };
        return Err(Refusal::LoginsHeld {
            what: what.to_owned(),
            wait: hold_ttl.unsigned_abs(),
        }
        .into());
    }
    let known_device = attempt.device.is_some();
    if !known_device && by_address >= limits.accounts_per_address {
        let wait = u64::try_from(address_ttl)
            .unwrap_or(limits.window_secs)
            .max(1);
        return Err(Refusal::AddressHeld { wait }.into());
    }
    Ok(())
}

/// How long an account (or device) is held back after `failures` failures.
pub fn hold_secs(limits: Throttle, failures: u32) -> Option<u64> {
    let over = failures.checked_sub(limits.per_account)?;
    let hold = FIRST_HOLD_SECS.saturating_mul(1u64 << over.min(20));
    Some(hold.min(limits.window_secs.max(FIRST_HOLD_SECS)))
}

/// Counts a failed login against the attempt's account (or device) and, for
/// an unknown device, adds the account to its address's set; holds the
/// account back once over its limit.
pub async fn record_failure(redis: &Redis, limits: Throttle, attempt: Attempt<'_>) {
    let mut pipe = redis::pipe();
    if attempt.device.is_none() {
        let key = address_key(redis, attempt.address);
        pipe.cmd("SADD")
            .arg(&key)
            .arg(address_member(&attempt))
            .ignore();
        pipe.cmd("EXPIRE")
            .arg(&key)
            .arg(limits.window_secs)
            .arg("NX")
            .ignore();
    }
    let Some(budget) = budget(&attempt) else {
        let _ = redis.run_pipeline::<()>(&pipe).await;
        return;
    };
    let key = failures_key(redis, &budget);
    pipe.cmd("INCR").arg(&key);
    pipe.cmd("EXPIRE")
        .arg(&key)
        .arg(limits.window_secs)
        .arg("NX")
        .ignore();
    let Some((failures,)) = redis.run_pipeline::<(u32,)>(&pipe).await else {
        return;
    };
    if let Some(hold) = hold_secs(limits, failures) {
        let _ = redis
            .run::<()>(
                redis::cmd("SET")
                    .arg(hold_key(redis, &budget))
                    .arg(1)
                    .arg("EX")
                    .arg(hold),
            )
            .await;
    }
}

/// A successful login clears the failures of the account and the device it
/// came from.
pub async fn record_success(redis: &Redis, attempt: Attempt<'_>) {
    let mut pipe = redis::pipe();
    if let Some(account) = attempt.account {
        let budget = Budget::Account(account);
        pipe.cmd("DEL")
            .arg(failures_key(redis, &budget))
            .arg(hold_key(redis, &budget))
            .ignore();
    }
    if let Some(device) = attempt.device {
        let budget = Budget::Device(device);
        pipe.cmd("DEL")
            .arg(failures_key(redis, &budget))
            .arg(hold_key(redis, &budget))
            .ignore();
    }
    let _ = redis.run_pipeline::<()>(&pipe).await;
}

/// Reset links one address may be sent per hour, so the endpoint cannot be
/// used to flood someone's mailbox.
pub const RESETS_PER_HOUR: u32 = 3;

/// Counts a reset request for `email`; false once the hourly allowance is used.
/// Without Redis every request is allowed.
pub async fn allow_reset(redis: &Redis, email: &str) -> bool {
    let key = format!("reset:{}", email.to_lowercase());
    redis.allow(&key, RESETS_PER_HOUR, 3600).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_start_after_the_limit_and_double_up_to_the_window() {
        let limits = Throttle {
            per_account: 5,
            accounts_per_address: 200,
            window_secs: 900,
        };
        assert_eq!(hold_secs(limits, 4), None);
        assert_eq!(hold_secs(limits, 5), Some(30));
        assert_eq!(hold_secs(limits, 6), Some(60));
        assert_eq!(hold_secs(limits, 8), Some(240));
        assert_eq!(hold_secs(limits, 10), Some(900));
        assert_eq!(hold_secs(limits, 4_000_000), Some(900));
    }
}
