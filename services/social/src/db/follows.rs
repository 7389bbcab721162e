//! Who follows whom.

use common::prepared::{bind, prepared};
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

/// Follows (or unfollows) `followee` (a username) as `follower` and, when the pair really changed,
/// writes the event in `envelope` (data filled in here) to the outbox: one
/// statement, one round trip. Also appends `latest`, when given. Says which
/// usernames were known.
pub fn change_by_name(
    conn: &mut PgConnection,
    follower: &super::messages::Author,
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
    prepared(
        format!(
        "WITH {latest_cte}, follower AS (
             {follower_select}
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
        latest_cte = super::latest::append_cte(5),
        follower_select = follower.select(),
        ),
        (
            bind::<diesel::sql_types::Text, _>(follower.param()),
            bind::<diesel::sql_types::Text, _>(followee),
            bind::<diesel::sql_types::Uuid, _>(envelope.id),
            bind::<diesel::sql_types::Jsonb, _>(skeleton),
            bind::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>, _>(latest),
        ),
    )
    .get_result(conn)
}

/// A follower or followee in a list.
#[derive(Debug, QueryableByName)]
pub struct Related {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub username: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub email: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub since: chrono::DateTime<chrono::Utc>,
}

/// Sort fields of follower and following lists.
pub const SORTS: &[&str] = &["username", "since"];

/// Who follows `user` (`followers`) or whom `user` follows, one page, with the total.
pub fn related(
    conn: &mut PgConnection,
    user: Uuid,
    followers: bool,
    list: &common::list::ListRequest,
) -> QueryResult<(Vec<Related>, i64)> {
    // Followers: rows whose followee is `user`, showing the follower; else the reverse.
    let (mine, theirs) = if followers {
        ("followee_id", "follower_id")
    } else {
        ("follower_id", "followee_id")
    };
    let total = if followers {
        follows::table
            .filter(follows::followee_id.eq(user))
            .count()
            .get_result(conn)?
    } else {
        follows::table
            .filter(follows::follower_id.eq(user))
            .count()
            .get_result(conn)?
    };
    // Only declared fields reach the ORDER BY (ListRequest checked them).
    let mut order: Vec<String> = list
        .sort
        .iter()
        .map(|key| {
            let column = if key.field == "username" {
                "lower(u.username)"
            } else {
                "f.created_at"
            };
            format!("{column} {}", if key.descending { "DESC" } else { "ASC" })
        })
        .collect();
    order.push("u.id".into());
    let rows = diesel::sql_query(format!(
        "SELECT u.id, u.username, u.email, f.created_at AS since
         FROM follows f JOIN users u ON u.id = f.{theirs}
         WHERE f.{mine} = $1 ORDER BY {} OFFSET $2 LIMIT $3",
        order.join(", ")
    ))
    .bind::<diesel::sql_types::Uuid, _>(user)
    .bind::<diesel::sql_types::BigInt, _>(list.offset())
    .bind::<diesel::sql_types::BigInt, _>(list.limit())
    .load(conn)?;
    Ok((rows, total))
}

/// Whether `follower` follows `followee`.
pub fn is_following(conn: &mut PgConnection, follower: Uuid, followee: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        follows::table.find((follower, followee)),
    ))
    .get_result(conn)
}

/// How many follow `user`, and how many `user` follows.
pub fn counts(conn: &mut PgConnection, user: Uuid) -> QueryResult<(i64, i64)> {
    let followers = follows::table
        .filter(follows::followee_id.eq(user))
        .count()
        .get_result(conn)?;
    let following = follows::table
        .filter(follows::follower_id.eq(user))
        .count()
        .get_result(conn)?;
    Ok((followers, following))
}
