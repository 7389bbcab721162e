//! A service's use cases called without HTTP: a test gets its own database
//! and an [`Infra`] on it, passes `now` itself (a fixed clock), and reads
//! what the use case wrote or published (the outbox; no relay runs).

use common::service::Service;
use common::Infra;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

use crate::Isolation;

pub struct UseCases {
    /// Before `iso`: its connections close before the database is dropped.
    pub infra: Infra,
    pub iso: Isolation,
}

#[derive(QueryableByName)]
struct EventType {
    #[diesel(sql_type = diesel::sql_types::Text)]
    event_type: String,
}

impl UseCases {
    /// A fresh, migrated database of `S` and an `Infra` on it.
    pub fn of<S: Service>() -> Self {
        let iso = Isolation::of::<S>();
        let infra = Infra::detached(iso.settings(S::NAME));
        Self { infra, iso }
    }

    /// A connection of its own, for arranging and checking.
    #[allow(clippy::expect_used)]
    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.iso.db.url).expect("connect to the test database")
    }

    /// The types of the events waiting in the outbox: by transaction, oldest
    /// first, and by name within one.
    #[allow(clippy::expect_used)]
    pub fn published(&self) -> Vec<String> {
        diesel::sql_query("SELECT event_type FROM outbox ORDER BY created_at, event_type")
            .load::<EventType>(&mut self.conn())
            .expect("read the outbox")
            .into_iter()
            .map(|row| row.event_type)
            .collect()
    }
}
