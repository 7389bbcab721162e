//! The notify service's typed settings.

use common::settings::{maybe, optional, secret, CommonSettings, SettingsError};
use secrecy::SecretString;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct NotifySettings {
    pub common: CommonSettings,
    /// `SMTP_URL`: `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host:465` (TLS), or `smtp://host:25` (plain, for a
    /// local relay). Unset: mails are written as `.eml` files to `mail_dir`.
    pub smtp_url: Option<SecretString>,
    /// `SMTP_CA_FILE`: PEM certificate(s) to trust for the SMTP server besides
    /// the public roots, for a relay with a private CA or a self-signed certificate.
    pub smtp_ca_file: Option<String>,
    /// `NOTIFY_MAIL_DIR`: where the file transport writes mails.
    pub mail_dir: String,
    /// `NOTIFY_MAIL_FROM`: the sender of every mail.
    pub mail_from: String,
    /// `PLATFORM_NAME`: how mails and pages name the platform.
    pub platform_name: String,
    /// `PUBLIC_BASE_URL`: where links in mails point.
    pub public_url: String,
    /// `NOTIFY_MAIL_MAX_ATTEMPTS`: tries before a mail is given up as failed.
    pub mail_max_attempts: i32,
    /// `NOTIFY_MAIL_RETENTION_DAYS`: delivered and failed mail is deleted after this many days.
    pub mail_retention_days: i64,
    /// `NOTIFY_DIGEST_TIMEZONE` (IANA name) and `NOTIFY_DIGEST_HOUR`: when the
    /// daily digest goes out.
    pub digest_timezone: chrono_tz::Tz,
    pub digest_hour: u32,
    /// `NOTIFY_MAIL_RETRY_BASE_MS`: the first retry's delay; each next one doubles.
    pub mail_retry_base: Duration,
    /// `NOTIFY_DIGEST_CHECK_MS`: how often the scheduler looks at the clock.
    pub digest_check_every: Duration,
    /// `NOTIFY_WS_HEARTBEAT_MS`: WebSocket ping interval; three missed answers close the socket.
    pub ws_heartbeat: Duration,
}

/// At least a day: a mail must outlive its retries.
fn retention(days: i64) -> Result<i64, SettingsError> {
    if days < 1 {
        return Err(SettingsError::Invalid {
            name: "NOTIFY_MAIL_RETENTION_DAYS".into(),
            reason: "at least 1 day".into(),
        });
    }
    Ok(days)
}

impl NotifySettings {
    pub fn from_env() -> Result<Self, SettingsError> {
        let common = CommonSettings::from_env("notify", 8004)?;
        let zone: String = optional("NOTIFY_DIGEST_TIMEZONE", "Europe/Oslo".into())?;
        let digest_timezone =
            zone.parse::<chrono_tz::Tz>()
                .map_err(|_| SettingsError::Invalid {
                    name: "NOTIFY_DIGEST_TIMEZONE".into(),
                    reason: format!("{zone:?} is not an IANA time zone such as Europe/Oslo"),
                })?;
        let digest_hour: u32 = optional("NOTIFY_DIGEST_HOUR", 12)?;
        if digest_hour > 23 {
            return Err(SettingsError::Invalid {
                name: "NOTIFY_DIGEST_HOUR".into(),
                reason: "an hour from 0 to 23".into(),
            });
        }
        Ok(Self {
            smtp_url: secret("SMTP_URL")?,
            smtp_ca_file: maybe("SMTP_CA_FILE")?,
            mail_dir: optional("NOTIFY_MAIL_DIR", ".dev/mail".into())?,
            mail_from: optional(
                "NOTIFY_MAIL_FROM",
                format!("Member platform <no-reply@{}>", common.base_domain),
            )?,
            platform_name: optional("PLATFORM_NAME", "Member platform".into())?,
            public_url: optional("PUBLIC_BASE_URL", format!("https://{}", common.base_domain))?,
            mail_max_attempts: optional("NOTIFY_MAIL_MAX_ATTEMPTS", 8)?,
            mail_retention_days: retention(optional("NOTIFY_MAIL_RETENTION_DAYS", 30)?)?,
            digest_timezone,
            digest_hour,
            mail_retry_base: Duration::from_millis(optional("NOTIFY_MAIL_RETRY_BASE_MS", 2000)?),
            digest_check_every: Duration::from_millis(optional("NOTIFY_DIGEST_CHECK_MS", 30_000)?),
            ws_heartbeat: Duration::from_millis(optional("NOTIFY_WS_HEARTBEAT_MS", 10_000)?),
            common,
        })
    }

    /// Settings for tests around `common`: mails to `smtp_url` (or files in
    /// `mail_dir`), digest at 12:00 Europe/Oslo.
    pub fn for_tests(common: CommonSettings, smtp_url: Option<&str>, mail_dir: &str) -> Self {
        Self {
            smtp_url: smtp_url.map(|u| SecretString::from(u.to_owned())),
            smtp_ca_file: None,
            mail_dir: mail_dir.to_owned(),
            mail_from: "Test platform <no-reply@localhost>".into(),
            platform_name: "Test platform".into(),
            public_url: "http://localhost:8080".into(),
            mail_max_attempts: 8,
            mail_retention_days: 30,
            digest_timezone: chrono_tz::Europe::Oslo,
            digest_hour: 12,
            mail_retry_base: Duration::from_millis(100),
            digest_check_every: Duration::from_millis(100),
            ws_heartbeat: Duration::from_millis(200),
            common,
        }
    }
}
