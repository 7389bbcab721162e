//! Refresh tokens and password-reset tokens.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{password_resets, refresh_tokens};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub fn insert_refresh(
    conn: &mut PgConnection,
    family_id: Uuid,
    user_id: Uuid,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(Uuid::new_v4()),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::token_hash.eq(hash),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The token with this hash, locked for the rest of the transaction so two
/// concurrent refreshes with the same token cannot both succeed.
pub fn find_refresh_for_update(
    conn: &mut PgConnection,
    hash: &[u8],
) -> QueryResult<Option<RefreshToken>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshToken::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn mark_used(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(refresh_tokens::table.find(id))
        .set(refresh_tokens::used_at.eq(Utc::now()))
        .execute(conn)
        .map(|_| ())
}

pub fn revoke_family(conn: &mut PgConnection, family_id: Uuid) -> QueryResult<usize> {
    diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family_id)))
        .filter(refresh_tokens::revoked_at.is_null())
        .set(refresh_tokens::revoked_at.eq(Utc::now()))
        .execute(conn)
}

/// Revokes every session of a user except `keep` (the caller's own).
pub fn revoke_user_sessions(
    conn: &mut PgConnection,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> QueryResult<usize> {
    let query = refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::revoked_at.is_null());
    match keep {
        Some(family) => diesel::update(query.filter(refresh_tokens::family_id.ne(family)))
            .set(refresh_tokens::revoked_at.eq(Utc::now()))
            .execute(conn),
        None => diesel::update(query)
            .set(refresh_tokens::revoked_at.eq(Utc::now()))
            .execute(conn),
    }
}

pub fn insert_reset(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::id.eq(Uuid::new_v4()),
            password_resets::user_id.eq(user_id),
            password_resets::token_hash.eq(hash),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether an unused, unexpired reset token has this hash (a cheap check
/// before the password is hashed).
pub fn reset_is_usable(conn: &mut PgConnection, hash: &[u8]) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        password_resets::table
            .filter(password_resets::token_hash.eq(hash))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(Utc::now())),
    ))
    .get_result(conn)
}

/// Consumes an unused, unexpired reset token; returns its user.
pub fn consume_reset(conn: &mut PgConnection, hash: &[u8]) -> QueryResult<Option<Uuid>> {
    diesel::update(
        password_resets::table
            .filter(password_resets::token_hash.eq(hash))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(Utc::now())),
    )
    .set(password_resets::used_at.eq(Utc::now()))
    .returning(password_resets::user_id)
    .get_result(conn)
    .optional()
}
