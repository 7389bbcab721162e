//! The social service's typed settings.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::settings::{cores, optional, required, secret, CommonSettings, SettingsError};
use secrecy::SecretString;

#[derive(Debug, Clone)]
pub struct SocialSettings {
    pub common: CommonSettings,
    /// The auth service's internal base URL.
    pub auth_url: String,
    /// An API client of auth with the `users:provision` and `users:read` scopes
    /// (`auth create-client --name social --scopes "users:provision users:read"`).
    pub auth_client_id: String,
    pub auth_client_secret: SecretString,
    /// The full `Authorization` header the MiniTwit simulator sends.
    pub simulator_authorization: SecretString,
    /// Mark the web pages' cookies `Secure` (`SOCIAL_SECURE_COOKIES`; turn on
    /// when the site is served over HTTPS).
    pub secure_cookies: bool,
}

impl SocialSettings {
    pub fn from_env() -> Result<Self, SettingsError> {
        let credentials: String = optional(
            "MINITWIT_SIMULATOR_CREDENTIALS",
            "simulator:super_safe!".into(),
        )?;
        Ok(Self {
            // Four connections per core: the MiniTwit write path waits on
            // commits, so more connections than cores keep the CPU busy
            // (bench/results/social-history.md).
            common: CommonSettings::from_env_with_pool("social", 8002, cores().saturating_mul(4))?,
            auth_url: optional("SOCIAL_AUTH_URL", "http://127.0.0.1:8001".into())?,
            auth_client_id: required("SOCIAL_AUTH_CLIENT_ID")?,
            auth_client_secret: secret("SOCIAL_AUTH_CLIENT_SECRET")?
                .ok_or_else(|| SettingsError::Missing("SOCIAL_AUTH_CLIENT_SECRET".into()))?,
            simulator_authorization: basic(&credentials),
            secure_cookies: optional("SOCIAL_SECURE_COOKIES", false)?,
        })
    }
}

/// `Basic base64(user:password)`.
pub fn basic(credentials: &str) -> SecretString {
    SecretString::from(format!("Basic {}", STANDARD.encode(credentials)))
}

impl SocialSettings {
    /// Settings for tests around `common`, talking to auth at `auth_url` as
    /// the given API client, with the simulator's published credentials.
    pub fn for_tests(
        common: CommonSettings,
        auth_url: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Self {
        Self {
            common,
            auth_url: auth_url.to_owned(),
            auth_client_id: client_id.to_owned(),
            auth_client_secret: SecretString::from(client_secret.to_owned()),
            simulator_authorization: basic("simulator:super_safe!"),
            secure_cookies: false,
        }
    }
}
