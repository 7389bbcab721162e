//! The projection of platform users, fed by auth's events.

use chrono::{DateTime, Utc};
use common::consumer::HandlerError;
use common::outbox::Envelope;
use contracts::auth::{User, UserRegistered, UserUpdated};
use contracts::{AuthEvent, Contract, Event};
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamptz, Uuid as SqlUuid};

/// The events this projection follows.
pub const EVENTS: &[&str] = &[UserRegistered::TYPE, UserUpdated::TYPE];

/// Inserts or updates the user an event describes, and ends their web
/// sessions when the security stamp changed (password changed or reset,
/// account deactivated). Replaying an event, or an older event arriving after
/// a newer one, changes nothing.
pub fn apply(conn: &mut PgConnection, event: &Envelope) -> Result<(), HandlerError> {
    let user = match event.parse()? {
        Event::Auth(AuthEvent::UserRegistered(UserRegistered(user)))
        | Event::Auth(AuthEvent::UserUpdated(UserUpdated(user))) => user,
        other => {
            return Err(HandlerError::refused(format!(
                "{} is not a user event",
                other.event_type()
            )))
        }
    };
    upsert(conn, &user, event.occurred_at)?;
    Ok(())
}

fn upsert(conn: &mut PgConnection, user: &User, as_of: DateTime<Utc>) -> QueryResult<usize> {
    // One statement: the row before (`old`), the upsert (`applied` only when
    // this event is newer), and the end of the web sessions if the stamp moved.
    diesel::sql_query(
        "WITH old AS (SELECT security_stamp FROM users WHERE id = $1), \
         applied AS ( \
           INSERT INTO users (id, username, email, status, synced_at, security_stamp) \
           VALUES ($1, $2, $3, $4, $5, $6) \
           ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, email = EXCLUDED.email, \
             status = EXCLUDED.status, synced_at = EXCLUDED.synced_at, \
             security_stamp = EXCLUDED.security_stamp \
           WHERE users.synced_at < EXCLUDED.synced_at \
           RETURNING id) \
         DELETE FROM web_sessions WHERE user_id IN (SELECT id FROM applied) \
           AND (SELECT security_stamp FROM old) IS DISTINCT FROM $6",
    )
    .bind::<SqlUuid, _>(user.user_id)
    .bind::<Text, _>(&user.username)
    .bind::<Text, _>(&user.email)
    .bind::<Text, _>(&user.status)
    .bind::<Timestamptz, _>(as_of)
    .bind::<SqlUuid, _>(user.security_stamp)
    .execute(conn)
}
