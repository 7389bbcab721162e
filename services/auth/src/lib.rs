//! The identity service: accounts, sessions, groups, API clients and the keys
//! every other service verifies tokens with.

pub mod cli;
pub mod db;
pub mod domain;
pub mod openapi;
pub mod routes;
pub mod saved_client;
pub mod settings;
pub mod state;

use std::sync::Arc;

use actix_web::web;
use common::cache::Redis;
use common::jwt::{JwkSet, SigningKey, Verifier};
use common::migrations::Migrations;
use common::server::{self, Running, ServiceSpec, StartError};
use common::service::Service;
use common::settings::{CommonSettings, SettingsError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

use crate::domain::password::Hasher;
use crate::settings::AuthSettings;
use crate::state::AuthState;

static OWN_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The identity service, as the chassis runs it.
pub struct Auth;

impl Service for Auth {
    const NAME: &'static str = "auth";
    const SERVES: &'static str = "the HTTP service";
    type Settings = AuthSettings;
    type Commands = cli::Command;

    fn settings() -> Result<AuthSettings, SettingsError> {
        AuthSettings::from_env()
    }

    fn common(settings: &AuthSettings) -> &CommonSettings {
        &settings.common
    }

    /// Auth publishes user, membership and reset events.
    fn migrations() -> Migrations {
        Migrations::own(&OWN_MIGRATIONS).with_outbox()
    }

    async fn build(settings: AuthSettings) -> Result<Running, StartError> {
        build(settings).await
    }
}

/// Builds the shared state from settings (keys, hasher, Redis).
pub fn state(settings: AuthSettings) -> Result<AuthState, StartError> {
    let keys = settings
        .signing_keys
        .iter()
        .map(|k| SigningKey::from_base64_pkcs8(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StartError::invalid("AUTH_SIGNING_KEYS holds a key that cannot be read", e))?;
    let jwks = JwkSet {
        keys: keys.iter().map(SigningKey::jwk).collect(),
    };
    let signer = keys
        .into_iter()
        .next()
        .ok_or_else(|| StartError::Config("AUTH_SIGNING_KEYS holds no key".into()))?;
    let hasher = Hasher::new(settings.hash_cost)
        .map_err(|e| StartError::invalid("invalid argon2 settings", e))?;
    let redis = Arc::new(Redis::new(
        &settings.common.redis_url,
        &settings.common.redis_prefix,
    ));
    Ok(AuthState {
        settings,
        signer,
        jwks,
        hasher,
        redis,
    })
}

/// Migrates and binds the service; await `common::server::serve` on it to run it.
pub async fn build(settings: AuthSettings) -> Result<Running, StartError> {
    let common = settings.common.clone();
    let state = state(settings)?;
    let verifier = Verifier::local(&state.jwks, &common.jwt_issuer, &common.jwt_audience)
        .map_err(|e| StartError::invalid("the signing keys cannot verify tokens", e))?;
    let redis = state.redis.clone();
    let state = web::Data::new(state);
    server::start(
        common,
        ServiceSpec {
            migrations: Auth::migrations(),
            redis: Some(redis),
            openapi: openapi::base(),
            verifier: Some(verifier),
            configure: move |cfg: &mut common::openapi::ApiConfig| {
                cfg.app_data(state.clone());
                routes::configure(cfg);
            },
            consumers: vec![],
        },
    )
    .await
}
