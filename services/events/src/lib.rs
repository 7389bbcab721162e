//! The events service. It has no features yet: it starts, migrates its database and
//! serves the operational routes every service has.

use common::migrations::Migrations;
use common::openapi::ApiConfig;
use common::server::{self, Running, ServiceSpec, StartError};
use common::service::{NoCommands, Service};
use common::settings::{CommonSettings, SettingsError};

/// The events service, as the chassis runs it.
pub struct Events;

impl Service for Events {
    const NAME: &'static str = "events";
    const SERVES: &'static str = "the HTTP service";
    type Settings = CommonSettings;
    type Commands = NoCommands;

    fn settings() -> Result<CommonSettings, SettingsError> {
        CommonSettings::from_env(Self::NAME, 8003)
    }

    fn common(settings: &CommonSettings) -> &CommonSettings {
        settings
    }

    /// Events will publish registration events; no tables of its own yet.
    fn migrations() -> Migrations {
        Migrations::none().with_outbox()
    }

    async fn build(settings: CommonSettings) -> Result<Running, StartError> {
        server::start(
            settings,
            ServiceSpec {
                migrations: Self::migrations(),
                redis: None,
                openapi: common::service::openapi_base("Events service"),
                verifier: None,
                configure: routes,
                consumers: vec![],
            },
        )
        .await
    }
}

/// The service's own routes (none yet).
fn routes(_cfg: &mut ApiConfig) {}
