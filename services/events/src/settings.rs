//! The events service's typed settings.

use std::time::Duration;

use common::clock::SharedClock;
use common::media::MediaSettings;
use common::settings::{optional, CommonSettings, SettingsError};

#[derive(Debug, Clone)]
pub struct EventsSettings {
    pub common: CommonSettings,
    /// The auth service's internal base URL (`EVENTS_AUTH_URL`): the events
    /// service asks it for a caller's memberships when its copy has none yet.
    pub auth_url: String,
    /// Where rules such as "the latest 12:00" and the strike freezes are read
    /// (`EVENTS_TIME_ZONE`, an IANA name).
    pub time_zone: chrono_tz::Tz,
    /// `EVENTS_JOBS_CHECK_MS`: how often the scheduled jobs look at the clock
    /// (registration-opened notices go out within this of the opening).
    pub jobs_check_every: Duration,
    /// What the scheduled jobs take as now (a test sets it).
    pub clock: SharedClock,
    /// Where event images are kept and served from (`MEDIA_*`, docs/media.md).
    pub media: MediaSettings,
}

impl EventsSettings {
    pub fn from_env() -> Result<Self, SettingsError> {
        let zone: String = optional("EVENTS_TIME_ZONE", "Europe/Oslo".into())?;
        Ok(Self {
            common: CommonSettings::from_env("events", 8003)?,
            auth_url: optional("EVENTS_AUTH_URL", "http://127.0.0.1:8001".into())?,
            time_zone: time_zone(&zone)?,
            jobs_check_every: Duration::from_millis(optional("EVENTS_JOBS_CHECK_MS", 20_000)?),
            clock: SharedClock::system(),
            media: MediaSettings::from_env()?,
        })
    }

    /// Settings for tests around `common`, asking auth at `auth_url`.
    pub fn for_tests(common: CommonSettings, auth_url: &str) -> Self {
        Self {
            common,
            auth_url: auth_url.to_owned(),
            time_zone: chrono_tz::Europe::Oslo,
            jobs_check_every: Duration::from_millis(100),
            clock: SharedClock::system(),
            media: MediaSettings::for_tests("events"),
        }
    }
}

fn time_zone(name: &str) -> Result<chrono_tz::Tz, SettingsError> {
    name.parse().map_err(|_| SettingsError::Invalid {
        name: "EVENTS_TIME_ZONE".into(),
        reason: format!("{name:?} is not an IANA time zone such as Europe/Oslo"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zone_must_be_an_iana_name() {
        assert_eq!(time_zone("Europe/Oslo").ok(), Some(chrono_tz::Europe::Oslo));
        let error = time_zone("Oslo/Norway").unwrap_err();
        assert!(error.to_string().contains("EVENTS_TIME_ZONE"), "{error}");
    }
}
