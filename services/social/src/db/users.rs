//! The local copy of platform users.

use chrono::Utc;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use uuid::Uuid;

use super::schema::users;

/// A user as the social service knows them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    /// Registered through the MiniTwit simulator API, the only accounts it
    /// may act for.
    pub simulator: bool,
}

/// By username, ignoring case (as auth keeps them unique).
pub fn by_username(conn: &mut PgConnection, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(
            sql::<Bool>("lower(username) = lower(")
                .bind::<Text, _>(username.to_owned())
                .sql(")"),
        )
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// By id.
pub fn by_id(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// A user's email, for their avatar.
pub fn email_of(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<String>> {
    users::table
        .find(id)
        .select(users::email)
        .first(conn)
        .optional()
}

/// Stores a user as auth just described them (newer than any earlier event).
/// The users consumer may be inserting the same user at this moment: an
/// `ON CONFLICT (id)` upsert would still fail on the username index then, so
/// insert if absent (any conflict) and update by id.
pub fn remember(
    conn: &mut PgConnection,
    id: Uuid,
    username: &str,
    email: &str,
    status: &str,
) -> QueryResult<()> {
    // auth says this name is `id`'s now: a stale copy of someone who was
    // renamed (their event still on its way) gives the name up, keeping its
    // id as a placeholder until that event arrives.
    diesel::update(
        users::table
            .filter(
                diesel::dsl::sql::<Bool>("lower(username) = lower(")
                    .bind::<Text, _>(username)
                    .sql(")"),
            )
            .filter(users::id.ne(id)),
    )
    .set(users::username.eq(diesel::dsl::sql::<Text>("id::text")))
    .execute(conn)?;
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::username.eq(username),
            users::email.eq(email),
            users::status.eq(status),
            users::synced_at.eq(Utc::now()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    diesel::update(users::table.find(id))
        .set((
            users::username.eq(username),
            users::email.eq(email),
            users::status.eq(status),
            users::synced_at.eq(Utc::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Marks `id` as registered through the MiniTwit simulator API.
pub fn mark_simulator(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::simulator.eq(true))
        .execute(conn)
        .map(|_| ())
}
