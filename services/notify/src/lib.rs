//! The notification service: turns the platform's events into notifications
//! (in-app, email, live push over WebSocket) and sends a daily digest.
//! See docs/notify.md.

pub use common::clock;
pub mod db;
pub mod digest;
pub mod domain;
pub mod mail;
pub mod openapi;
pub mod push;
pub mod routes;
pub mod settings;
pub mod state;

use std::sync::Arc;

use actix_web::web;
use common::cache::Redis;
use common::consumer::ConsumerSpec;
use common::migrations::Migrations;
use common::server::{self, Running, ServiceSpec, StartError};
use common::service::{NoCommands, Service};
use common::settings::{CommonSettings, SettingsError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};
use lettre::message::Mailbox;

use crate::clock::{Clock, SystemClock};
use crate::digest::DigestScheduler;
use crate::domain::consumer::{NotificationHandler, QUEUE};
use crate::domain::plan::EVENTS;
use crate::domain::templates::MailContext;
use crate::mail::transport::Transport;
use crate::mail::worker::MailWorker;
use crate::push::hub::Hub;
use crate::settings::NotifySettings;
use crate::state::NotifyState;

static OWN_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The notification service, as the chassis runs it.
pub struct Notify;

impl Service for Notify {
    const NAME: &'static str = "notify";
    const SERVES: &'static str = "the HTTP service, consumer, mail worker and digest";
    type Settings = NotifySettings;
    type Commands = NoCommands;

    fn settings() -> Result<NotifySettings, SettingsError> {
        NotifySettings::from_env()
    }

    fn common(settings: &NotifySettings) -> &CommonSettings {
        &settings.common
    }

    /// Notify consumes events and publishes none.
    fn migrations() -> Migrations {
        Migrations::own(&OWN_MIGRATIONS).with_processed_events()
    }

    async fn build(settings: NotifySettings) -> Result<Running, StartError> {
        build(settings).await
    }
}

/// The consumer specs (for tests that track their queues).
pub fn consumers(handler: Arc<NotificationHandler>) -> Vec<ConsumerSpec> {
    vec![ConsumerSpec {
        queue: QUEUE,
        bindings: EVENTS,
        handler,
    }]
}

pub fn mail_context(settings: &NotifySettings) -> MailContext {
    MailContext {
        platform_name: settings.platform_name.clone(),
        public_url: settings.public_url.trim_end_matches('/').to_owned(),
        base_domain: settings.common.base_domain.clone(),
    }
}

/// Migrates and binds with the system clock.
pub async fn build(settings: NotifySettings) -> Result<Running, StartError> {
    build_with_clock(settings, Arc::new(SystemClock)).await
}

/// Migrates and binds; the digest scheduler reads `clock`.
pub async fn build_with_clock(
    settings: NotifySettings,
    clock: Arc<dyn Clock>,
) -> Result<Running, StartError> {
    let transport = Transport::from_settings(&settings).map_err(StartError::Config)?;
    let from: Mailbox = settings
        .mail_from
        .parse()
        .map_err(|e| StartError::Config(format!("NOTIFY_MAIL_FROM is not a mail address: {e}")))?;
    let redis = Arc::new(Redis::new(
        &settings.common.redis_url,
        &settings.common.redis_prefix,
    ));
    let hub = Arc::new(Hub::new(redis.clone()));
    let ctx = mail_context(&settings);
    let mail_wake = Arc::new(tokio::sync::Notify::new());
    let handler = Arc::new(NotificationHandler::new(
        ctx.clone(),
        hub.clone(),
        mail_wake.clone(),
    ));
    let state = web::Data::new(NotifyState {
        hub: hub.clone(),
        heartbeat: settings.ws_heartbeat,
    });
    let mut running = server::start(
        settings.common.clone(),
        ServiceSpec {
            migrations: Notify::migrations(),
            redis: Some(redis),
            openapi: openapi::base(),
            verifier: None,
            configure: move |cfg: &mut common::openapi::ApiConfig| {
                cfg.app_data(state.clone());
                routes::configure(cfg);
            },
            consumers: consumers(handler),
        },
    )
    .await?;
    let worker = MailWorker {
        infra: running.infra.clone(),
        transport,
        from,
        max_attempts: settings.mail_max_attempts,
        retry_base: settings.mail_retry_base,
        retention_days: settings.mail_retention_days,
        wake: mail_wake.clone(),
    };
    running
        .consumers
        .push(tokio::spawn(worker.run(running.shutdown.subscribe())));
    let scheduler = DigestScheduler {
        infra: running.infra.clone(),
        ctx,
        clock,
        instance: format!("{}:{}", hostname(), running.port),
        mail_wake,
        settings,
    };
    running
        .consumers
        .push(tokio::spawn(scheduler.run(running.shutdown.subscribe())));
    running
        .consumers
        .push(tokio::spawn(hub.subscribe(running.shutdown.subscribe())));
    Ok(running)
}

fn hostname() -> String {
    std::env::var("HOSTNAME").unwrap_or_else(|_| "notify".into())
}
