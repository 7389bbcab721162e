//! Messages.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{messages, users};

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

/// Posts a message by `author` (a username) and writes its
/// `social.message.posted` event to the outbox, in one statement (one round
/// trip; this is the MiniTwit API's hottest path). `envelope` is the event
/// without its data, which the statement fills in. `None` when the author is
/// not in the local copy of users. Also appends `latest`, when given.
pub fn post_as(
    conn: &mut PgConnection,
    author: &str,
    text: &str,
    envelope: &common::outbox::Envelope,
    latest: Option<i64>,
) -> QueryResult<Option<i64>> {
    let skeleton = serde_json::to_value(envelope).unwrap_or_default();
    diesel::sql_query(format!(
        "WITH {latest_cte}, author AS (
             SELECT id, username FROM users WHERE lower(username) = lower($1)
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
        latest_cte = super::latest::append_cte(5)
    ))
    .bind::<diesel::sql_types::Text, _>(author)
    .bind::<diesel::sql_types::Text, _>(text)
    .bind::<diesel::sql_types::Uuid, _>(envelope.id)
    .bind::<diesel::sql_types::Jsonb, _>(skeleton)
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>, _>(latest)
    .get_result::<PostedId>(conn)
    .optional()
    .map(|row| row.map(|r| r.id))
}
