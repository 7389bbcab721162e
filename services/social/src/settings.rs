//! The social service's typed settings.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::settings::{
    cores, is_production, maybe, optional, required, secret, CommonSettings, SettingsError,
};
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
    /// Accounts the web `/register` page makes per client address and hour
    /// (`SOCIAL_WEB_REGISTRATIONS_PER_HOUR`).
    pub web_registrations_per_hour: u32,
    /// Where news images are kept and served from (`MEDIA_*`, docs/media.md).
    pub media: common::media::MediaSettings,
}

/// Accounts the web `/register` page makes per client address and hour by
/// default: a lab class of 30 behind one campus NAT registers, a bot farm of
/// hundreds does not.
pub const WEB_REGISTRATIONS_PER_HOUR: u32 = 50;

impl SocialSettings {
    pub fn from_env() -> Result<Self, SettingsError> {
        let credentials =
            simulator_credentials(is_production()?, maybe("MINITWIT_SIMULATOR_CREDENTIALS")?)?;
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
            secure_cookies: secure_cookies(
                is_production()?,
                optional("SOCIAL_SECURE_COOKIES", false)?,
            )?,
            web_registrations_per_hour: optional(
                "SOCIAL_WEB_REGISTRATIONS_PER_HOUR",
                WEB_REGISTRATIONS_PER_HOUR,
            )?,
            media: common::media::MediaSettings::from_env()?,
        })
    }
}

/// Session cookies must be `Secure` in production (served over HTTPS).
fn secure_cookies(production: bool, secure: bool) -> Result<bool, SettingsError> {
    if production && !secure {
        return Err(SettingsError::Invalid {
            name: "SOCIAL_SECURE_COOKIES".into(),
            reason: "session cookies must be Secure when APP_ENV=production; set it to true".into(),
        });
    }
    Ok(secure)
}

/// The simulator's published credential: fine on a developer's machine, an
/// open door anywhere else.
pub const PUBLISHED_SIMULATOR_CREDENTIALS: &str = "simulator:super_safe!";

/// `MINITWIT_SIMULATOR_CREDENTIALS` (`user:password`). Outside production it
/// defaults to the published one; in production it must be set to another.
fn simulator_credentials(production: bool, value: Option<String>) -> Result<String, SettingsError> {
    const NAME: &str = "MINITWIT_SIMULATOR_CREDENTIALS";
    match value {
        Some(value) if production && value == PUBLISHED_SIMULATOR_CREDENTIALS => {
            Err(SettingsError::Invalid {
                name: NAME.into(),
                reason: "the published simulator credential is refused when APP_ENV=production; \
                         set a secret user:password"
                    .into(),
            })
        }
        Some(value) if !value.contains(':') => Err(SettingsError::Invalid {
            name: NAME.into(),
            reason: "expected user:password".into(),
        }),
        Some(value) => Ok(value),
        None if production => Err(SettingsError::Missing(NAME.into())),
        None => Ok(PUBLISHED_SIMULATOR_CREDENTIALS.into()),
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
            simulator_authorization: basic(PUBLISHED_SIMULATOR_CREDENTIALS),
            secure_cookies: false,
            web_registrations_per_hour: WEB_REGISTRATIONS_PER_HOUR,
            media: common::media::MediaSettings::for_tests("social"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_needs_secure_cookies() {
        assert!(secure_cookies(true, false).is_err());
        assert_eq!(secure_cookies(true, true).ok(), Some(true));
        assert_eq!(secure_cookies(false, false).ok(), Some(false));
    }

    #[test]
    fn production_needs_its_own_simulator_credential() {
        let own = Some("sim:7f3c9a".to_owned());
        let published = Some(PUBLISHED_SIMULATOR_CREDENTIALS.to_owned());
        assert!(matches!(
            simulator_credentials(true, None),
            Err(SettingsError::Missing(name)) if name == "MINITWIT_SIMULATOR_CREDENTIALS"
        ));
        let refused = simulator_credentials(true, published.clone()).unwrap_err();
        assert!(
            refused.to_string().contains("APP_ENV=production"),
            "{refused}"
        );
        assert!(!refused.to_string().contains("super_safe"), "{refused}");
        assert_eq!(
            simulator_credentials(true, own.clone()).unwrap(),
            "sim:7f3c9a"
        );
        assert_eq!(
            simulator_credentials(false, None).unwrap(),
            PUBLISHED_SIMULATOR_CREDENTIALS
        );
        assert_eq!(simulator_credentials(false, own).unwrap(), "sim:7f3c9a");
        assert!(simulator_credentials(false, Some("no-colon".into())).is_err());
    }
}
