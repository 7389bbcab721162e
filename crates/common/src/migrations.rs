//! A service's migrations: the tables common owns that the service opts into
//! (the outbox of a publisher, the dedupe table of a consumer), then its own.
//! One source, so `migrate`, the test templates and the up/down/up checks all
//! see the same list.

use diesel::migration::{Migration, MigrationSource, Result};
use diesel::pg::Pg;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

/// The outbox table, for services that publish events.
static OUTBOX: EmbeddedMigrations = embed_migrations!("migrations/outbox");
/// The processed-events table, for services that consume events.
static PROCESSED_EVENTS: EmbeddedMigrations = embed_migrations!("migrations/processed_events");

/// Which migrations make up one service's database.
#[derive(Clone, Copy)]
pub struct Migrations {
    /// The service's own `migrations/` folder, if it has tables of its own.
    pub own: Option<&'static EmbeddedMigrations>,
    /// Publishes events: keeps an outbox, and runs its relay.
    pub outbox: bool,
    /// Consumes events: keeps the processed-events table.
    pub processed_events: bool,
}

impl Migrations {
    /// Only the service's own tables.
    pub const fn own(own: &'static EmbeddedMigrations) -> Self {
        Self {
            own: Some(own),
            outbox: false,
            processed_events: false,
        }
    }

    /// With the outbox (the service publishes events).
    pub const fn with_outbox(self) -> Self {
        Self {
            outbox: true,
            ..self
        }
    }

    /// With the processed-events table (the service consumes events).
    pub const fn with_processed_events(self) -> Self {
        Self {
            processed_events: true,
            ..self
        }
    }

    /// No tables of its own (yet).
    pub const fn none() -> Self {
        Self {
            own: None,
            outbox: false,
            processed_events: false,
        }
    }
}

impl MigrationSource<Pg> for Migrations {
    fn migrations(&self) -> Result<Vec<Box<dyn Migration<Pg>>>> {
        let mut all = Vec::new();
        if self.outbox {
            all.extend(MigrationSource::<Pg>::migrations(&OUTBOX)?);
        }
        if self.processed_events {
            all.extend(MigrationSource::<Pg>::migrations(&PROCESSED_EVENTS)?);
        }
        if let Some(own) = self.own {
            all.extend(MigrationSource::<Pg>::migrations(own)?);
        }
        Ok(all)
    }
}

/// Where the migrations common owns live, for tools that hash or list them.
pub fn common_migration_dirs(migrations: &Migrations) -> Vec<&'static str> {
    let mut dirs = Vec::new();
    if migrations.outbox {
        dirs.push("crates/common/migrations/outbox");
    }
    if migrations.processed_events {
        dirs.push("crates/common/migrations/processed_events");
    }
    dirs
}
