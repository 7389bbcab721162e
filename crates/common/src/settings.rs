//! Typed settings read once from the environment (and `.env` for local runs).
//!
//! Every setting has a name in `.env.example`. A missing or malformed value stops
//! start-up with an error that names the variable, so operators never guess.

use std::fmt::Display;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use secrecy::SecretString;

/// Why the settings could not be loaded; always names the variable.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("setting {0} is required but not set (see .env.example)")]
    Missing(String),
    #[error("setting {name} has an invalid value: {reason}")]
    Invalid { name: String, reason: String },
}

/// Loads `.env` from the working directory, if there is one. Real environment
/// variables win over the file.
pub fn load_dotenv() {
    let _ = dotenvy::dotenv();
}

/// The value of setting `name`: the variable itself, or the contents of the
/// file `NAME_FILE` names (Docker secrets mount secrets as files, so every
/// setting, secrets above all, can stay out of the environment). `None` when
/// neither is set or the value is empty.
fn lookup(name: &str) -> Result<Option<String>, SettingsError> {
    let direct = std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let file_var = format!("{name}_FILE");
    let file = std::env::var(&file_var)
        .ok()
        .filter(|v| !v.trim().is_empty());
    match (direct, file) {
        (Some(_), Some(_)) => Err(SettingsError::Invalid {
            name: name.to_owned(),
            reason: format!("set {name} or {file_var}, not both"),
        }),
        (Some(value), None) => Ok(Some(value)),
        (None, Some(path)) => {
            let value =
                std::fs::read_to_string(path.trim()).map_err(|e| SettingsError::Invalid {
                    name: file_var.clone(),
                    reason: format!("cannot read {}: {e}", path.trim()),
                })?;
            Ok(Some(value.trim_end_matches(['\n', '\r']).to_owned())
                .filter(|v| !v.trim().is_empty()))
        }
        (None, None) => Ok(None),
    }
}

/// Reads a variable (or `NAME_FILE`) that must be present.
pub fn required<T>(name: &str) -> Result<T, SettingsError>
where
    T: FromStr,
    T::Err: Display,
{
    match lookup(name)? {
        Some(value) => parse(name, &value),
        None => Err(SettingsError::Missing(name.to_owned())),
    }
}

/// Reads a variable (or `NAME_FILE`) that falls back to `default` when absent or empty.
pub fn optional<T>(name: &str, default: T) -> Result<T, SettingsError>
where
    T: FromStr,
    T::Err: Display,
{
    match lookup(name)? {
        Some(value) => parse(name, &value),
        None => Ok(default),
    }
}

/// Reads a variable (or `NAME_FILE`) that may be absent.
pub fn maybe<T>(name: &str) -> Result<Option<T>, SettingsError>
where
    T: FromStr,
    T::Err: Display,
{
    match lookup(name)? {
        Some(value) => parse(name, &value).map(Some),
        None => Ok(None),
    }
}

/// Whether `APP_ENV` is `production`, where known-unsafe settings are refused.
pub fn is_production() -> Result<bool, SettingsError> {
    Ok(optional::<String>("APP_ENV", "development".into())? == "production")
}

/// Reads a secret; the value never appears in `Debug` output or logs.
pub fn secret(name: &str) -> Result<Option<SecretString>, SettingsError> {
    Ok(maybe::<String>(name)?.map(SecretString::from))
}

fn parse<T>(name: &str, value: &str) -> Result<T, SettingsError>
where
    T: FromStr,
    T::Err: Display,
{
    value
        .trim()
        .parse()
        .map_err(|e: T::Err| SettingsError::Invalid {
            name: name.to_owned(),
            reason: e.to_string(),
        })
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line, for Filebeat/ELK.
    Json,
    /// Human-readable, for development.
    Pretty,
}

impl FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Self::Json),
            "pretty" | "text" => Ok(Self::Pretty),
            other => Err(format!("expected json or pretty, got {other:?}")),
        }
    }
}

/// A duration written in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Millis(pub Duration);

impl FromStr for Millis {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<u64>()
            .map(|ms| Millis(Duration::from_millis(ms)))
            .map_err(|_| format!("expected a whole number of milliseconds, got {s:?}"))
    }
}

/// Twice the CPU cores: measured on two cores, a pool of 4 keeps `/v1/me`'s p99
/// at a few milliseconds while 10 connections let requests wait hundreds of
/// milliseconds for a connection under load (bench/results/auth.md).
pub fn default_pool_size() -> u32 {
    cores().saturating_mul(2).max(2)
}

/// CPU cores available to this process.
pub fn cores() -> u32 {
    std::thread::available_parallelism().map_or(2, |n| n.get() as u32)
}

/// Settings every service reads, with the service's own prefix for what differs
/// per service (`AUTH_LISTEN`, `AUTH_DATABASE_URL`, ...).
#[derive(Debug, Clone)]
pub struct CommonSettings {
    /// Short service name: auth, social, events or notify.
    pub service: &'static str,
    pub listen: SocketAddr,
    pub database_url: SecretString,
    pub db_pool_size: u32,
    pub amqp_url: SecretString,
    /// Topic exchange all events go to (`platform`; tests use their own).
    pub amqp_exchange: String,
    pub redis_url: SecretString,
    /// Prefix for every Redis key, so instances and tests can share a server.
    pub redis_prefix: String,
    pub base_domain: String,
    pub log_format: LogFormat,
    pub sentry_dsn: Option<SecretString>,
    /// Where other services fetch the auth service's JWKS.
    pub jwks_url: String,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub shutdown_timeout_secs: u64,
    pub outbox_poll: Millis,
    /// HTTP worker threads; 0 means one per CPU core.
    pub http_workers: usize,
    /// Put before every consumer queue name (tests use their own).
    pub amqp_queue_prefix: String,
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, CIDRs;
    /// loopback by default).
    pub trusted_proxies: crate::client_address::TrustedProxies,
}

impl CommonSettings {
    /// Reads the shared settings for `service` listening by default on `default_port`.
    pub fn from_env(service: &'static str, default_port: u16) -> Result<Self, SettingsError> {
        Self::from_env_with_pool(service, default_port, default_pool_size())
    }

    /// Like [`CommonSettings::from_env`] with another default pool size, for a
    /// service whose requests mostly wait on commits rather than the CPU.
    pub fn from_env_with_pool(
        service: &'static str,
        default_port: u16,
        default_pool: u32,
    ) -> Result<Self, SettingsError> {
        let upper = service.to_ascii_uppercase();
        let production = is_production()?;
        let database_name = format!("{upper}_DATABASE_URL");
        let default_format = if production {
            LogFormat::Json
        } else {
            LogFormat::Pretty
        };
        Ok(Self {
            service,
            listen: optional(
                &format!("{upper}_LISTEN"),
                SocketAddr::from(([127, 0, 0, 1], default_port)),
            )?,
            database_url: required::<String>(&database_name)?.into(),
            db_pool_size: optional(&format!("{upper}_DB_POOL_SIZE"), default_pool)?,
            amqp_url: amqp_url(service, &upper)?,
            amqp_exchange: optional("AMQP_EXCHANGE", "platform".into())?,
            redis_url: optional::<String>("REDIS_URL", "redis://127.0.0.1:6379".into())?.into(),
            redis_prefix: optional("REDIS_PREFIX", "platform".into())?,
            base_domain: optional("BASE_DOMAIN", "localhost".into())?,
            log_format: optional("LOG_FORMAT", default_format)?,
            sentry_dsn: secret("SENTRY_DSN")?,
            jwks_url: optional(
                "AUTH_JWKS_URL",
                "http://127.0.0.1:8001/.well-known/jwks.json".into(),
            )?,
            jwt_issuer: optional("JWT_ISSUER", "platform-auth".into())?,
            jwt_audience: optional("JWT_AUDIENCE", "platform".into())?,
            shutdown_timeout_secs: optional("SHUTDOWN_TIMEOUT_SECS", 30)?,
            outbox_poll: optional("OUTBOX_POLL_MS", Millis(Duration::from_millis(500)))?,
            http_workers: optional("HTTP_WORKERS", 0)?,
            amqp_queue_prefix: optional("AMQP_QUEUE_PREFIX", String::new())?,
            trusted_proxies: optional(
                "TRUSTED_PROXIES",
                crate::client_address::TrustedProxies::loopback(),
            )?,
        })
        .and_then(|settings| {
            if production {
                refuse_unsafe_in_production(&settings, &database_name)?;
            }
            Ok(settings)
        })
    }
}

/// With `APP_ENV=production`, settings that are fine on a developer's machine
/// `<SERVICE>_AMQP_URL`: each service connects to RabbitMQ as its own user,
/// named after it (consumers check who published each event), by default the
/// development user (`deploy/rabbitmq/definitions.json`). A shared `AMQP_URL`
/// is refused rather than ignored.
fn amqp_url(service: &str, upper: &str) -> Result<SecretString, SettingsError> {
    let name = format!("{upper}_AMQP_URL");
    if lookup("AMQP_URL")?.is_some() {
        return Err(SettingsError::Invalid {
            name: "AMQP_URL".into(),
            reason: format!(
                "replaced by {name} (one RabbitMQ user per service, named after it); remove AMQP_URL"
            ),
        });
    }
    let url: String = optional(
        &name,
        format!("amqp://{service}:{service}-dev@127.0.0.1:5672/%2f"),
    )?;
    let user = url_credentials(&url).0;
    if user != service {
        return Err(SettingsError::Invalid {
            name,
            reason: format!(
                "the RabbitMQ user is {user:?}, but must be named {service:?}: consumers believe an event only from the user named after its producer"
            ),
        });
    }
    Ok(url.into())
}

/// and an open door anywhere else stop start-up, naming the variable.
pub fn refuse_unsafe_in_production(
    settings: &CommonSettings,
    database_name: &str,
) -> Result<(), SettingsError> {
    use secrecy::ExposeSecret;
    let invalid = |name: &str, reason: &str| {
        Err(SettingsError::Invalid {
            name: name.to_owned(),
            reason: format!("{reason} (refused when APP_ENV=production)"),
        })
    };
    let (user, password) = url_credentials(settings.amqp_url.expose_secret());
    let development = format!("{}-dev", settings.service);
    if user != settings.service || password.is_empty() || password == development {
        return invalid(
            &format!("{}_AMQP_URL", settings.service.to_ascii_uppercase()),
            "RabbitMQ's guest account, no password, or the development password; give each service its own user with a password of its own",
        );
    }
    let (_, password) = url_credentials(settings.database_url.expose_secret());
    if password.is_empty() {
        return invalid(database_name, "the database URL has no password");
    }
    Ok(())
}

/// The user and password of a `scheme://user:password@host/...` URL (empty
/// when absent).
pub(crate) fn url_credentials(url: &str) -> (String, String) {
    let Some((_, rest)) = url.split_once("://") else {
        return (String::new(), String::new());
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return (String::new(), String::new());
    };
    match userinfo.split_once(':') {
        Some((user, password)) => (user.to_owned(), password.to_owned()),
        None => (userinfo.to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each test uses its own variable names (tests may share a process).
    #[test]
    fn a_setting_can_come_from_the_file_its_name_file_variable_names() {
        let dir = std::env::temp_dir().join(format!("settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("secret");
        std::fs::write(&file, "s3cret value\n").unwrap();
        std::env::set_var("FILE_TEST_SECRET_FILE", &file);
        assert_eq!(
            required::<String>("FILE_TEST_SECRET").unwrap(),
            "s3cret value",
            "read from the file, without its final newline"
        );
        assert_eq!(
            maybe::<String>("FILE_TEST_SECRET").unwrap().as_deref(),
            Some("s3cret value")
        );
        std::env::set_var("FILE_TEST_SECRET", "direct");
        let both = required::<String>("FILE_TEST_SECRET").unwrap_err();
        assert!(both.to_string().contains("not both"), "{both}");
        std::env::remove_var("FILE_TEST_SECRET");
        std::env::set_var("FILE_TEST_MISSING_FILE", dir.join("absent"));
        let unreadable = required::<String>("FILE_TEST_MISSING").unwrap_err();
        assert!(
            unreadable.to_string().contains("FILE_TEST_MISSING_FILE"),
            "{unreadable}"
        );
        assert!(matches!(
            required::<String>("FILE_TEST_NEITHER"),
            Err(SettingsError::Missing(name)) if name == "FILE_TEST_NEITHER"
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn settings(amqp: &str, database: &str) -> CommonSettings {
        CommonSettings {
            service: "social",
            listen: ([127, 0, 0, 1], 0).into(),
            database_url: database.to_owned().into(),
            db_pool_size: 2,
            amqp_url: amqp.to_owned().into(),
            amqp_exchange: "platform".into(),
            redis_url: "redis://127.0.0.1:6379".to_owned().into(),
            redis_prefix: "platform".into(),
            base_domain: "example.org".into(),
            log_format: LogFormat::Json,
            sentry_dsn: None,
            jwks_url: String::new(),
            jwt_issuer: String::new(),
            jwt_audience: String::new(),
            shutdown_timeout_secs: 30,
            outbox_poll: Millis(Duration::from_millis(500)),
            http_workers: 0,
            amqp_queue_prefix: String::new(),
            trusted_proxies: crate::client_address::TrustedProxies::loopback(),
        }
    }

    #[test]
    fn production_refuses_the_guest_broker_account_and_passwordless_databases() {
        let safe = settings(
            "amqp://social:s3cret@rabbit:5672/%2f",
            "postgres://social:pw@db/social",
        );
        assert!(refuse_unsafe_in_production(&safe, "SOCIAL_DATABASE_URL").is_ok());
        for amqp in [
            "amqp://guest:guest@rabbit:5672/%2f",
            "amqp://social@rabbit:5672/%2f",
            "amqp://rabbit:5672/%2f",
            "amqp://social:social-dev@rabbit:5672/%2f",
            "amqp://auth:s3cret@rabbit:5672/%2f",
        ] {
            let refused = refuse_unsafe_in_production(
                &settings(amqp, "postgres://social:pw@db/social"),
                "SOCIAL_DATABASE_URL",
            );
            assert!(
                matches!(&refused, Err(SettingsError::Invalid { name, .. }) if name == "SOCIAL_AMQP_URL"),
                "{amqp}: {refused:?}"
            );
        }
        let refused = refuse_unsafe_in_production(
            &settings(
                "amqp://social:s3cret@rabbit/%2f",
                "postgres://social@db/social",
            ),
            "SOCIAL_DATABASE_URL",
        );
        assert!(
            matches!(&refused, Err(SettingsError::Invalid { name, .. }) if name == "SOCIAL_DATABASE_URL"),
            "{refused:?}"
        );
    }
}
