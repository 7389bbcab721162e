//! Messages.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use common::prepared::{bind, prepared};

use super::schema::{messages, users};

/// A message as the JSON API and web pages show it.
#[derive(Debug, Clone, Queryable, QueryableByName)]
pub struct Shown {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub text: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub author_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub username: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub email: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub flagged: bool,
}

/// Which messages a timeline holds.
#[derive(Debug, Clone, Copy)]
pub enum Timeline {
    /// Everyone's.
    Public,
    /// One author's.
    Author(Uuid),
    /// A user's own and those of everyone they follow.
    Home(Uuid),
    /// Hidden by moderators (for moderators only).
    Flagged,
}

/// Up to `limit` messages of a timeline older than message `before` (all when
/// `None`), newest first. Flagged messages appear only in `Flagged`.
pub fn timeline(
    conn: &mut PgConnection,
    timeline: Timeline,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Shown>> {
    let before = before.unwrap_or(i64::MAX);
    let columns = (
        messages::id,
        messages::text,
        messages::created_at,
        messages::author_id,
        users::username,
        users::email,
        messages::flagged,
    );
    let base = messages::table
        .inner_join(users::table)
        .filter(messages::id.lt(before))
        .select(columns)
        .order(messages::id.desc())
        .limit(limit);
    match timeline {
        Timeline::Public => base.filter(messages::flagged.eq(false)).load(conn),
        Timeline::Flagged => base.filter(messages::flagged.eq(true)).load(conn),
        Timeline::Author(author) => base
            .filter(messages::flagged.eq(false))
            .filter(messages::author_id.eq(author))
            .load(conn),
        Timeline::Home(user) => home(conn, user, before, limit),
    }
}

/// The home timeline: the newest `limit` message ids of each followed author
/// (and the user's own), each an index-only range scan on
/// `messages_by_author`, merged and cut to `limit`; only those rows are then
/// read from the table. Scanning all messages newest first and filtering by
/// author would read most of the table for a user who follows few of many.
fn home(conn: &mut PgConnection, user: Uuid, before: i64, limit: i64) -> QueryResult<Vec<Shown>> {
    prepared(
        "WITH authors AS (
             SELECT followee_id AS author_id FROM follows WHERE follower_id = $1
             UNION SELECT $1
         ), newest AS (
             SELECT recent.id FROM authors CROSS JOIN LATERAL (
                 SELECT id FROM messages
                 WHERE messages.author_id = authors.author_id AND NOT flagged AND id < $2
                 ORDER BY id DESC LIMIT $3
             ) AS recent
             ORDER BY recent.id DESC LIMIT $3
         )
         SELECT m.id, m.text, m.created_at, m.author_id, u.username, u.email, m.flagged
         FROM newest JOIN messages m ON m.id = newest.id JOIN users u ON u.id = m.author_id
         ORDER BY m.id DESC",
        (
            bind::<diesel::sql_types::Uuid, _>(user),
            bind::<diesel::sql_types::BigInt, _>(before),
            bind::<diesel::sql_types::BigInt, _>(limit),
        ),
    )
    .load(conn)
}

/// One message, flagged or not.
pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Shown>> {
    messages::table
        .inner_join(users::table)
        .filter(messages::id.eq(id))
        .select((
            messages::id,
            messages::text,
            messages::created_at,
            messages::author_id,
            users::username,
            users::email,
            messages::flagged,
        ))
        .first(conn)
        .optional()
}

/// Hides or shows a message; false when there is no such message.
pub fn set_flagged(conn: &mut PgConnection, id: i64, flagged: bool) -> QueryResult<bool> {
    diesel::update(messages::table.find(id))
        .set(messages::flagged.eq(flagged))
        .execute(conn)
        .map(|n| n == 1)
}

/// Deletes a message; false when there is no such message.
pub fn delete(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    diesel::delete(messages::table.find(id))
        .execute(conn)
        .map(|n| n == 1)
}

/// How many visible messages `author` has.
pub fn count_by(conn: &mut PgConnection, author: Uuid) -> QueryResult<i64> {
    messages::table
        .filter(messages::author_id.eq(author))
        .filter(messages::flagged.eq(false))
        .count()
        .get_result(conn)
}

/// A message with its author's name, newest first in every list.
#[derive(Debug, Queryable)]
pub struct Posted {
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub username: String,
}

/// Visible (not flagged) messages, of one author or of everyone.
pub fn latest(
    conn: &mut PgConnection,
    author: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<Posted>> {
    let mut query = messages::table
        .inner_join(users::table)
        .filter(messages::flagged.eq(false))
        .select((messages::text, messages::created_at, users::username))
        .order(messages::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(author) = author {
        query = query.filter(messages::author_id.eq(author));
    }
    query.load(conn)
}

#[derive(QueryableByName)]
struct PostedId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// Who a message is posted as.
#[derive(Debug, Clone)]
pub enum Author {
    /// A username, any case.
    Name(String),
    /// A username, any case, of an account the MiniTwit simulator registered
    /// (the only accounts its API acts for).
    Simulator(String),
    /// A user id (the JSON API and web pages).
    Id(Uuid),
}

impl Author {
    /// A CTE body selecting the author's `id, username` given `$1` as text.
    pub(crate) fn select(&self) -> &'static str {
        match self {
            Author::Name(_) => "SELECT id, username FROM users WHERE lower(username) = lower($1)",
            Author::Simulator(_) => {
                "SELECT id, username FROM users WHERE lower(username) = lower($1) AND simulator"
            }
            Author::Id(_) => "SELECT id, username FROM users WHERE id = $1::uuid",
        }
    }
    pub(crate) fn param(&self) -> String {
        match self {
            Author::Name(name) | Author::Simulator(name) => name.clone(),
            Author::Id(id) => id.to_string(),
        }
    }
}

/// Posts a message by `author` and writes its
/// `social.message.posted` event to the outbox, in one statement (one round
/// trip; this is the MiniTwit API's hottest path). `envelope` is the event
/// without its data, which the statement fills in. `None` when the author is
/// not in the local copy of users. Also appends `latest`, when given.
pub fn post_as(
    conn: &mut PgConnection,
    author: &Author,
    text: &str,
    envelope: &common::outbox::Envelope,
    latest: Option<i64>,
) -> QueryResult<Option<i64>> {
    let skeleton = serde_json::to_value(envelope).unwrap_or_default();
    prepared(
        format!(
            "WITH {latest_cte}, author AS (
             {author}
         ), message AS (
             INSERT INTO messages (author_id, text) SELECT id, $2 FROM author
             RETURNING id, author_id, created_at
         ), event AS (
             INSERT INTO outbox (id, event_type, payload)
             SELECT $3, $4::jsonb ->> 'type', jsonb_set($4::jsonb, '{{data}}', jsonb_build_object(
                 'message_id', message.id, 'author_id', message.author_id,
                 'author_username', author.username, 'text', $2, 'created_at', message.created_at))
             FROM message, author
         )
         SELECT id FROM message",
            latest_cte = super::latest::append_cte(5),
            author = author.select(),
        ),
        (
            bind::<diesel::sql_types::Text, _>(author.param()),
            bind::<diesel::sql_types::Text, _>(text),
            bind::<diesel::sql_types::Uuid, _>(envelope.id),
            bind::<diesel::sql_types::Jsonb, _>(skeleton),
            bind::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>, _>(latest),
        ),
    )
    .get_result::<PostedId>(conn)
    .optional()
    .map(|row| row.map(|r| r.id))
}
