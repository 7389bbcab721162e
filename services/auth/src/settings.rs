//! The auth service's typed settings.

use common::jwt::SigningKey;
use common::settings::{optional, required, CommonSettings, SettingsError};

/// Cost of argon2id password hashing.
#[derive(Debug, Clone, Copy)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// Login throttling limits (per window).
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    /// Failed logins of one account before it is held back.
    pub per_account: u32,
    /// Distinct accounts (or unknown names) failing from one client address
    /// before its unknown devices are held back: sized for a lecture hall
    /// behind one NAT, below a password spray over hundreds of accounts.
    pub accounts_per_address: u32,
    pub window_secs: u64,
}

impl Default for Throttle {
    /// The deployed limits (docs/security.md says why these figures).
    fn default() -> Self {
        Self {
            per_account: 5,
            accounts_per_address: 200,
            window_secs: 900,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub common: CommonSettings,
    /// Base64 PKCS#8 Ed25519 keys; the first signs, all are published.
    pub signing_keys: Vec<String>,
    pub access_ttl_secs: i64,
    pub refresh_ttl_days: i64,
    pub client_token_ttl_secs: i64,
    /// When true, self-registered accounts wait for an administrator.
    pub require_approval: bool,
    pub hash_cost: HashCost,
    pub throttle: Throttle,
    /// Where people land to choose a new password; the token is appended.
    pub reset_url: String,
    /// Where email-change confirmation links point (`AUTH_EMAIL_CONFIRM_URL`;
    /// `?token=...` is appended).
    pub email_confirm_url: String,
}

impl AuthSettings {
    pub fn from_env() -> Result<Self, SettingsError> {
        let common = CommonSettings::from_env("auth", 8001)?;
        let keys: String = required("AUTH_SIGNING_KEYS")?;
        let signing_keys: Vec<String> = keys
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect();
        for key in &signing_keys {
            SigningKey::from_base64_pkcs8(key).map_err(|e| SettingsError::Invalid {
                name: "AUTH_SIGNING_KEYS".into(),
                reason: e.to_string(),
            })?;
        }
        let public_url = optional("PUBLIC_BASE_URL", format!("https://{}", common.base_domain))?;
        Ok(Self {
            signing_keys,
            access_ttl_secs: optional("AUTH_ACCESS_TOKEN_TTL_SECS", 900)?,
            refresh_ttl_days: optional("AUTH_REFRESH_TOKEN_TTL_DAYS", 30)?,
            client_token_ttl_secs: optional("AUTH_CLIENT_TOKEN_TTL_SECS", 900)?,
            require_approval: optional("AUTH_REQUIRE_APPROVAL", false)?,
            hash_cost: HashCost {
                memory_kib: optional("AUTH_ARGON2_MEMORY_KIB", 12_288)?,
                iterations: optional("AUTH_ARGON2_ITERATIONS", 3)?,
                parallelism: optional("AUTH_ARGON2_PARALLELISM", 1)?,
            },
            throttle: Throttle {
                per_account: optional(
                    "AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT",
                    Throttle::default().per_account,
                )?,
                accounts_per_address: optional(
                    "AUTH_LOGIN_MAX_ACCOUNTS_PER_ADDRESS",
                    Throttle::default().accounts_per_address,
                )?,
                window_secs: optional(
                    "AUTH_LOGIN_THROTTLE_WINDOW_SECS",
                    Throttle::default().window_secs,
                )?,
            },
            reset_url: optional(
                "AUTH_PASSWORD_RESET_URL",
                format!("{}/reset-password", public_url.trim_end_matches('/')),
            )?,
            email_confirm_url: optional(
                "AUTH_EMAIL_CONFIRM_URL",
                format!("{}/confirm-email", public_url.trim_end_matches('/')),
            )?,
            common,
        })
    }
}

impl AuthSettings {
    /// Settings for tests around `common`: a fresh signing key and cheap (but
    /// real) argon2id. Never for production.
    pub fn for_tests(common: CommonSettings) -> Result<Self, common::jwt::KeyError> {
        Ok(Self {
            common,
            signing_keys: vec![SigningKey::generate_base64_pkcs8()?],
            access_ttl_secs: 900,
            refresh_ttl_days: 30,
            client_token_ttl_secs: 900,
            require_approval: false,
            hash_cost: HashCost {
                memory_kib: 4096,
                iterations: 1,
                parallelism: 1,
            },
            throttle: Throttle {
                per_account: 5,
                accounts_per_address: 20,
                window_secs: 60,
            },
            reset_url: "http://localhost:8080/reset-password".into(),
            email_confirm_url: "http://localhost:8080/confirm-email".into(),
        })
    }
}
