//! Sessions of the web pages, by the SHA-256 of the cookie's token.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{users, web_sessions};
use super::users::User;

pub fn create(
    conn: &mut PgConnection,
    token_hash: &[u8],
    user_id: Uuid,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(web_sessions::table)
        .values((
            web_sessions::token_hash.eq(token_hash),
            web_sessions::user_id.eq(user_id),
            web_sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The active user of an unexpired session.
pub fn user_of(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<Option<User>> {
    web_sessions::table
        .inner_join(users::table)
        .filter(web_sessions::token_hash.eq(token_hash))
        .filter(web_sessions::expires_at.gt(Utc::now()))
        .filter(users::status.eq("active"))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<()> {
    diesel::delete(web_sessions::table.filter(web_sessions::token_hash.eq(token_hash)))
        .execute(conn)
        .map(|_| ())
}

/// Removes expired sessions; returns how many.
pub fn prune(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::delete(web_sessions::table.filter(web_sessions::expires_at.le(Utc::now())))
        .execute(conn)
}
