//! Who follows whom.

use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{follows, users};

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

/// Which of the two usernames the local copy of users knows.
#[derive(Debug, QueryableByName)]
pub struct Known {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub follower: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub followee: bool,
}

/// Follows (or unfollows) by usernames and, when the pair really changed,
/// writes the event in `envelope` (data filled in here) to the outbox: one
/// statement, one round trip. Also appends `latest`, when given. Says which
/// usernames were known.
pub fn change_by_name(
    conn: &mut PgConnection,
    follower: &str,
    followee: &str,
    follow: bool,
    envelope: &common::outbox::Envelope,
    latest: Option<i64>,
) -> QueryResult<Known> {
    let change = if follow {
        "INSERT INTO follows (follower_id, followee_id) SELECT follower.id, followee.id FROM follower, followee
         ON CONFLICT DO NOTHING RETURNING 1"
    } else {
        "DELETE FROM follows USING follower, followee
         WHERE follows.follower_id = follower.id AND follows.followee_id = followee.id RETURNING 1"
    };
    let skeleton = serde_json::to_value(envelope).unwrap_or_default();
    diesel::sql_query(format!(
        "WITH {latest_cte}, follower AS (
             SELECT id, username FROM users WHERE lower(username) = lower($1)
         ), followee AS (
             SELECT id, username FROM users WHERE lower(username) = lower($2)
         ), changed AS (
             {change}
         ), event AS (
             INSERT INTO outbox (id, event_type, payload)
             SELECT $3, $4::jsonb ->> 'type', jsonb_set($4::jsonb, '{{data}}', jsonb_build_object(
                 'follower_id', follower.id, 'follower_username', follower.username,
                 'followee_id', followee.id, 'followee_username', followee.username))
             FROM changed, follower, followee
         )
         SELECT EXISTS (SELECT 1 FROM follower) AS follower, EXISTS (SELECT 1 FROM followee) AS followee",
        latest_cte = super::latest::append_cte(5)
    ))
    .bind::<diesel::sql_types::Text, _>(follower)
    .bind::<diesel::sql_types::Text, _>(followee)
    .bind::<diesel::sql_types::Uuid, _>(envelope.id)
    .bind::<diesel::sql_types::Jsonb, _>(skeleton)
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>, _>(latest)
    .get_result(conn)
}
