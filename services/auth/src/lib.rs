//! The identity service: accounts, sessions, groups, API clients and the keys
//! every other service verifies tokens with.

pub mod cli;
pub mod db;
pub mod domain;
pub mod openapi;
pub mod routes;
pub mod settings;
pub mod state;

use actix_web::web;
use common::jwt::{JwkSet, SigningKey, Verifier};
use common::server::{self, Running, ServiceSpec};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use crate::domain::password::Hasher;
use crate::settings::AuthSettings;
use crate::state::AuthState;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Builds the shared state from settings (keys, hasher).
pub fn state(
    settings: AuthSettings,
) -> Result<AuthState, Box<dyn std::error::Error + Send + Sync>> {
    let keys = settings
        .signing_keys
        .iter()
        .map(|k| SigningKey::from_base64_pkcs8(k))
        .collect::<Result<Vec<_>, _>>()?;
    let jwks = JwkSet {
        keys: keys.iter().map(SigningKey::jwk).collect(),
    };
    let signer = keys
        .into_iter()
        .next()
        .ok_or("AUTH_SIGNING_KEYS holds no key")?;
    let hasher =
        Hasher::new(settings.hash_cost).map_err(|e| format!("invalid argon2 settings: {e}"))?;
    Ok(AuthState {
        settings,
        signer,
        jwks,
        hasher,
    })
}

/// Migrates and binds the service; await `server` (or `common::server::serve`) to run it.
pub async fn build(
    settings: AuthSettings,
) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    let common = settings.common.clone();
    let state = state(settings)?;
    let verifier = Verifier::local(&state.jwks, &common.jwt_issuer, &common.jwt_audience)?;
    let state = web::Data::new(state);
    let running = server::start(
        common,
        ServiceSpec {
            migrations: MIGRATIONS,
            openapi: openapi::document(),
            verifier: Some(verifier),
            configure: move |cfg: &mut web::ServiceConfig| {
                cfg.app_data(state.clone());
                routes::configure(cfg);
            },
            consumers: vec![],
        },
    )
    .await?;
    Ok(running)
}
