//! The microblog service. So far it keeps its projection of platform users in
//! step with auth; the MiniTwit API, JSON API and web pages come next.

use std::sync::Arc;

use actix_web::web;
use common::consumer::ConsumerSpec;
use common::launcher::ServiceDef;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

pub mod domain;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub const SERVICE: ServiceDef = ServiceDef {
    name: "social",
    default_port: 8002,
    migrations: || MIGRATIONS,
    openapi: || common::launcher::empty_openapi("Microblog service"),
    configure: routes,
    consumers,
};

/// Follows auth's user events into the local `users` table.
fn consumers() -> Vec<ConsumerSpec> {
    vec![ConsumerSpec {
        queue: "social.users",
        bindings: domain::users::EVENTS,
        handler: Arc::new(domain::users::apply),
    }]
}

/// The service's own routes (none yet).
fn routes(_cfg: &mut web::ServiceConfig) {}
