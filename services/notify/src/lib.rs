//! The notification service. It has no features yet: it starts, migrates its database and
//! serves the operational routes every service has.

use actix_web::web;
use common::launcher::ServiceDef;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub const SERVICE: ServiceDef = ServiceDef {
    name: "notify",
    default_port: 8004,
    migrations: || MIGRATIONS,
    openapi: || common::launcher::empty_openapi("Notification service"),
    configure: routes,
    consumers: Vec::new,
};

/// The service's own routes (none yet).
fn routes(_cfg: &mut web::ServiceConfig) {}
