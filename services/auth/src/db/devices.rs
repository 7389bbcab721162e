//! Known devices: a login from one of them is trusted past the throttles.

use diesel::prelude::*;
use uuid::Uuid;

use super::schema::known_devices;

/// Remembers a device of `user_id` by its token's hash.
pub fn insert(conn: &mut PgConnection, user_id: Uuid, token_hash: &[u8]) -> QueryResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(known_devices::table)
        .values((
            known_devices::id.eq(id),
            known_devices::user_id.eq(user_id),
            known_devices::token_hash.eq(token_hash),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The device with this token hash, if it belongs to `user_id`.
pub fn find(
    conn: &mut PgConnection,
    user_id: Uuid,
    token_hash: &[u8],
) -> QueryResult<Option<Uuid>> {
    known_devices::table
        .filter(known_devices::token_hash.eq(token_hash))
        .filter(known_devices::user_id.eq(user_id))
        .select(known_devices::id)
        .first(conn)
        .optional()
}

/// Records that the device was used to log in.
pub fn touch(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(known_devices::table.find(id))
        .set(known_devices::last_used_at.eq(chrono::Utc::now()))
        .execute(conn)
        .map(|_| ())
}
