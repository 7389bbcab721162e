//! The events service: events and categories, the registration engine
//! (places, waiting lists, priority pools), strikes and check-in, with a copy
//! of auth's users, groups and memberships kept from the bus.
//! The rules: docs/events-service.md.

pub mod db;
pub mod domain;
pub mod jobs;
pub mod list_cache;
pub mod routes;
pub mod settings;
pub mod state;
pub mod views;

use std::sync::Arc;

use actix_web::web;
use common::consumer::ConsumerSpec;
use common::migrations::Migrations;
use common::server::{self, Running, ServiceSpec, StartError};
use common::service::{NoCommands, Service};
use common::settings::{CommonSettings, SettingsError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use crate::settings::EventsSettings;
use crate::state::EventsState;

static OWN_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The events service, as the chassis runs it.
pub struct Events;

impl Service for Events {
    const NAME: &'static str = "events";
    const SERVES: &'static str =
        "the HTTP service, the membership projection and the scheduled jobs";
    type Settings = EventsSettings;
    type Commands = NoCommands;

    fn settings() -> Result<EventsSettings, SettingsError> {
        EventsSettings::from_env()
    }

    fn common(settings: &EventsSettings) -> &CommonSettings {
        &settings.common
    }

    /// Events publishes registration events and consumes auth's.
    fn migrations() -> Migrations {
        Migrations::own(&OWN_MIGRATIONS)
            .with_outbox()
            .with_processed_events()
    }

    async fn build(settings: EventsSettings) -> Result<Running, StartError> {
        let common = settings.common.clone();
        let state = web::Data::new(
            EventsState::new(settings.clone())
                .map_err(|e| StartError::invalid("the media store settings", e))?,
        );
        let mut running = server::start(
            common,
            ServiceSpec {
                migrations: Self::migrations(),
                redis: None,
                openapi: routes::openapi_base(),
                verifier: None,
                configure: move |cfg: &mut common::openapi::ApiConfig| {
                    cfg.app_data(state.clone());
                    routes::configure(cfg);
                },
                consumers: consumers(),
            },
        )
        .await?;
        // Files a crash or a refused delete left behind (docs/media.md).
        let infra = running.infra.clone();
        let sweeper = common::images::run_sweeper(
            common::media::MediaStore::open(&settings.media)
                .map_err(|e| StartError::invalid("the media store settings", e))?,
            "events",
            settings.media.sweep_every,
            settings.media.sweep_grace,
            move || {
                let infra = infra.clone();
                async move {
                    let rows =
                        common::db::run(&infra.pool, |conn| Ok(db::events::images(conn)?)).await?;
                    Ok(common::images::ImageRecord::from_rows(&rows))
                }
            },
            running.shutdown.subscribe(),
        );
        running.consumers.push(tokio::spawn(sweeper));
        let scheduler = jobs::Scheduler {
            ctx: jobs::JobContext {
                infra: running.infra.clone(),
                zone: settings.time_zone,
                instance: format!(
                    "{}:{}",
                    std::env::var("HOSTNAME").unwrap_or_else(|_| "events".into()),
                    running.port
                ),
            },
            settings,
        };
        running
            .consumers
            .push(tokio::spawn(scheduler.run(running.shutdown.subscribe())));
        Ok(running)
    }
}

/// Follows auth's users, groups and memberships into the local copy.
pub fn consumers() -> Vec<ConsumerSpec> {
    vec![ConsumerSpec {
        queue: "events.members",
        bindings: domain::members::EVENTS,
        handler: Arc::new(domain::members::apply),
    }]
}
