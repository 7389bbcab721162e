//! Pending email changes (one per account; the link's token stored hashed).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::email_changes;

/// Records (or replaces) the account's pending change.
pub fn replace(
    conn: &mut PgConnection,
    user_id: Uuid,
    new_email: &str,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<usize> {
    let values = (
        email_changes::user_id.eq(user_id),
        email_changes::new_email.eq(new_email),
        email_changes::token_hash.eq(token_hash),
        email_changes::expires_at.eq(expires_at),
        email_changes::created_at.eq(Utc::now()),
    );
    diesel::insert_into(email_changes::table)
        .values(values)
        .on_conflict(email_changes::user_id)
        .do_update()
        .set(values)
        .execute(conn)
}

/// Takes the unexpired change with this token hash: `(user, new address)`.
pub fn consume(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<Option<(Uuid, String)>> {
    diesel::delete(
        email_changes::table
            .filter(email_changes::token_hash.eq(token_hash))
            .filter(email_changes::expires_at.gt(Utc::now())),
    )
    .returning((email_changes::user_id, email_changes::new_email))
    .get_result(conn)
    .optional()
}
