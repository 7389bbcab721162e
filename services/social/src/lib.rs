//! The microblog service: the MiniTwit simulator API on `api.<BASE_DOMAIN>`,
//! and a copy of the platform's users kept in step with auth over RabbitMQ.
//! The JSON API and web pages come next.

pub mod auth_client;
pub mod db;
pub mod domain;
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
            openapi: common::launcher::empty_openapi("Microblog service"),
            verifier: None,
            configure: move |cfg: &mut web::ServiceConfig| {
                cfg.app_data(state.clone());
                routes::configure(cfg, &base_domain);
            },
            consumers: consumers(),
        },
    )
    .await
}
