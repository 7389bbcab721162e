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
use common::server::{self, Running, ServiceSpec, StartError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use crate::auth_client::AuthClient;
use crate::settings::SocialSettings;
use crate::state::SocialState;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

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
    let state = web::Data::new(SocialState {
        auth: AuthClient::new(
            &settings.auth_url,
            &settings.auth_client_id,
            settings.auth_client_secret.clone(),
        ),
        settings,
    });
    server::start(
        common,
        ServiceSpec {
            migrations: MIGRATIONS,
            openapi: openapi::document(),
            verifier: None,
            configure: move |cfg: &mut web::ServiceConfig| {
                cfg.app_data(state.clone()).app_data(web_config.clone());
                routes::configure(cfg, &base_domain);
            },
            consumers: consumers(),
        },
    )
    .await
}
