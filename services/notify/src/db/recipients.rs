//! The copy of auth's users that notifications are addressed to.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::recipients;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = recipients)]
pub struct Recipient {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub status: String,
    pub daily_digest: bool,
}

/// Inserts or updates a user as an auth event describes them; an event older
/// than what is stored changes nothing.
pub fn upsert(
    conn: &mut PgConnection,
    id: Uuid,
    username: &str,
    email: &str,
    status: &str,
    as_of: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO recipients (id, username, email, status, synced_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, email = EXCLUDED.email,
           status = EXCLUDED.status, synced_at = EXCLUDED.synced_at
         WHERE recipients.synced_at < EXCLUDED.synced_at",
    )
    .bind::<diesel::sql_types::Uuid, _>(id)
    .bind::<diesel::sql_types::Text, _>(username)
    .bind::<diesel::sql_types::Text, _>(email)
    .bind::<diesel::sql_types::Text, _>(status)
    .bind::<diesel::sql_types::Timestamptz, _>(as_of)
    .execute(conn)
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Recipient>> {
    recipients::table
        .find(id)
        .select(Recipient::as_select())
        .first(conn)
        .optional()
}

pub fn set_daily_digest(conn: &mut PgConnection, id: Uuid, on: bool) -> QueryResult<usize> {
    diesel::update(recipients::table.find(id))
        .set(recipients::daily_digest.eq(on))
        .execute(conn)
}
