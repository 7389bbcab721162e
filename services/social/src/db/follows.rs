//! Who follows whom.

use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{follows, users};

/// Follows; true if the pair is new (following twice keeps one row).
pub fn follow(conn: &mut PgConnection, follower: Uuid, followee: Uuid) -> QueryResult<bool> {
    diesel::insert_into(follows::table)
        .values((
            follows::follower_id.eq(follower),
            follows::followee_id.eq(followee),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|rows| rows == 1)
}

/// Unfollows; true if the pair existed.
pub fn unfollow(conn: &mut PgConnection, follower: Uuid, followee: Uuid) -> QueryResult<bool> {
    diesel::delete(follows::table.find((follower, followee)))
        .execute(conn)
        .map(|rows| rows == 1)
}

/// Usernames `follower` follows, oldest follow first.
pub fn followed_names(
    conn: &mut PgConnection,
    follower: Uuid,
    limit: i64,
) -> QueryResult<Vec<String>> {
    follows::table
        .inner_join(users::table.on(users::id.eq(follows::followee_id)))
        .filter(follows::follower_id.eq(follower))
        .select(users::username)
        .order(follows::created_at.asc())
        .limit(limit)
        .load(conn)
}
