//! The microblog service: the MiniTwit simulator API on `api.<BASE_DOMAIN>`,
//! the JSON API under `/v1`, the MiniTwit web pages, news, and a copy of the
//! platform's users kept in step with auth over RabbitMQ.

pub mod auth_client;
pub mod db;
pub mod domain;
pub mod openapi;
pub mod routes;
pub mod settings;
pub mod state;

use std::sync::Arc;

use actix_web::web;
use common::consumer::ConsumerSpec;
use common::migrations::Migrations;
use common::server::{self, Running, ServiceSpec, StartError};
use common::service::{NoCommands, Service};
use common::settings::{CommonSettings, SettingsError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use crate::auth_client::AuthClient;
use crate::settings::SocialSettings;
use crate::state::SocialState;

static OWN_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The microblog service, as the chassis runs it.
pub struct Social;

impl Service for Social {
    const NAME: &'static str = "social";
    const SERVES: &'static str = "the HTTP service and the user projection";
    type Settings = SocialSettings;
    type Commands = NoCommands;

    fn settings() -> Result<SocialSettings, SettingsError> {
        SocialSettings::from_env()
    }

    fn common(settings: &SocialSettings) -> &CommonSettings {
        &settings.common
    }

    /// Social publishes messages and follows, and consumes auth's user events.
    fn migrations() -> Migrations {
        Migrations::own(&OWN_MIGRATIONS)
            .with_outbox()
            .with_processed_events()
    }

    async fn build(settings: SocialSettings) -> Result<Running, StartError> {
        build(settings).await
    }
}

/// Follows auth's user events into the local `users` table.
pub fn consumers() -> Vec<ConsumerSpec> {
    vec![ConsumerSpec {
        queue: "social.users",
        bindings: domain::users::EVENTS,
        handler: Arc::new(domain::users::apply),
    }]
}

/// Migrates and binds the service; await `server` (or `common::server::serve`) to run it.
pub async fn build(settings: SocialSettings) -> Result<Running, StartError> {
    let common = settings.common.clone();
    let base_domain = common.base_domain.clone();
    let web_config = web::Data::new(routes::web_pages::WebConfig {
        base_domain: base_domain.clone(),
        secure_cookies: settings.secure_cookies,
    });
    let redis = Arc::new(common::cache::Redis::new(
        &common.redis_url,
        &common.redis_prefix,
    ));
    let media = common::media::MediaStore::open(&settings.media)
        .map_err(|e| StartError::invalid("the media store settings", e))?;
    let images = settings.media.pipeline();
    let (sweep_every, sweep_grace) = (settings.media.sweep_every, settings.media.sweep_grace);
    let swept_store = media.clone();
    let state = web::Data::new(SocialState {
        media,
        images,
        auth: AuthClient::new(
            &settings.auth_url,
            &settings.auth_client_id,
            settings.auth_client_secret.clone(),
        ),
        redis: redis.clone(),
        settings,
    });
    // Accounts made by MiniTwit registration are served here (and only here)
    // while their password or approval keeps them to the microblog.
    let microblog = web::Data::new(common::auth_user::AcceptsMicroblogOnlyTokens);
    let mut running = server::start(
        common,
        ServiceSpec {
            migrations: Social::migrations(),
            redis: Some(redis),
            openapi: openapi::base(),
            verifier: None,
            configure: move |cfg: &mut common::openapi::ApiConfig| {
                cfg.app_data(state.clone())
                    .app_data(web_config.clone())
                    .app_data(microblog.clone());
                routes::configure(cfg, &base_domain);
            },
            consumers: consumers(),
        },
    )
    .await?;
    // Files a crash or a refused delete left behind (docs/media.md).
    let infra = running.infra.clone();
    let sweeper = common::images::run_sweeper(
        swept_store,
        "news",
        sweep_every,
        sweep_grace,
        move || {
            let infra = infra.clone();
            async move {
                let rows = common::db::run(&infra.pool, |conn| Ok(db::news::images(conn)?)).await?;
                Ok(common::images::ImageRecord::from_rows(&rows))
            }
        },
        running.shutdown.subscribe(),
    );
    running.consumers.push(tokio::spawn(sweeper));
    Ok(running)
}
