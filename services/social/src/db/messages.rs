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

pub fn post(
    conn: &mut PgConnection,
    author: Uuid,
    text: &str,
) -> QueryResult<(i64, DateTime<Utc>)> {
    diesel::insert_into(messages::table)
        .values((messages::author_id.eq(author), messages::text.eq(text)))
        .returning((messages::id, messages::created_at))
        .get_result(conn)
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
