//! What every platform service shares. See `docs/architecture.md`.

pub mod auth_user;
pub mod broker_identity;
pub mod cache;
pub mod client_address;
pub mod clock;
pub mod consumer;
pub mod db;
pub mod dead_letters;
pub mod error;
pub mod images;
pub mod json;
pub mod jwt;
pub mod list;
pub mod media;
pub mod metrics;
pub mod migrations;
pub mod nul_guard;
pub mod openapi;
pub mod openapi_errors;
pub mod outbox;
pub mod prepared;
pub mod report;
pub mod rules;
pub mod server;
pub mod service;
pub mod settings;
pub mod telemetry;
pub mod upload;

pub use auth_user::{Admin, AuthUser, MaybeAuthUser};
pub use error::{ApiError, Validator};
pub use json::Json;
pub use server::Infra;
