//! Stored notifications.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::schema::notifications;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: i64,
    #[serde(skip)]
    pub user_id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub data: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl common::list::CsvRow for Notification {
    fn csv_header() -> &'static [&'static str] {
        &["id", "kind", "title", "created_at", "read_at"]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.kind.clone(),
            self.title.clone(),
            self.created_at.to_rfc3339(),
            self.read_at.map(|r| r.to_rfc3339()).unwrap_or_default(),
        ]
    }
}

/// A notification to store.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification {
    pub user_id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub data: serde_json::Value,
    pub in_app: bool,
    pub event_id: Uuid,
}

/// Stores it unless this event already notified this user; `None` then.
pub fn insert(conn: &mut PgConnection, new: &NewNotification) -> QueryResult<Option<Notification>> {
    diesel::insert_into(notifications::table)
        .values(new)
        .on_conflict_do_nothing()
        .returning(Notification::as_returning())
        .get_result(conn)
        .optional()
}

/// A stored notification and the channels it goes out on.
#[derive(QueryableByName)]
struct StoredRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    user_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    title: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    body: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    link: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    data: serde_json::Value,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    email: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    push: bool,
}

/// Stores a notification with the user's channel choice for its kind (or
/// `defaults`), in one statement; `None` when this event already notified
/// this user. Returns it with whether to mail and push it.
pub fn insert_with_channels(
    conn: &mut PgConnection,
    new: &NewNotification,
    defaults: crate::domain::kinds::Channels,
) -> QueryResult<Option<(Notification, bool, bool)>> {
    use common::prepared::{bind, prepared};
    use diesel::sql_types::{Bool, Jsonb, Nullable, Text, Uuid as SqlUuid};
    let row = prepared(
        "WITH chosen AS (
             SELECT email, in_app, push FROM notification_settings WHERE user_id = $1 AND kind = $2
         )
         INSERT INTO notifications (user_id, kind, title, body, link, data, in_app, event_id)
         SELECT $1, $2, $3, $4, $5, $6, COALESCE((SELECT in_app FROM chosen), $7), $8
         ON CONFLICT DO NOTHING
         RETURNING id, user_id, kind, title, body, link, data, created_at,
             COALESCE((SELECT email FROM chosen), $9) AS email,
             COALESCE((SELECT push FROM chosen), $10) AS push",
        (
            bind::<SqlUuid, _>(new.user_id),
            bind::<Text, _>(&new.kind),
            bind::<Text, _>(&new.title),
            bind::<Text, _>(&new.body),
            bind::<Nullable<Text>, _>(&new.link),
            bind::<Jsonb, _>(&new.data),
            bind::<Bool, _>(defaults.in_app),
            bind::<SqlUuid, _>(new.event_id),
            bind::<Bool, _>(defaults.email),
            bind::<Bool, _>(defaults.push),
        ),
    )
    .get_result::<StoredRow>(conn)
    .optional()?;
    Ok(row.map(|r| {
        (
            Notification {
                id: r.id,
                user_id: r.user_id,
                kind: r.kind,
                title: r.title,
                body: r.body,
                link: r.link,
                data: r.data,
                created_at: r.created_at,
                read_at: None,
            },
            r.email,
            r.push,
        )
    }))
}

pub const SORT_FIELDS: &[&str] = &["created_at"];

/// One page of the user's listed notifications (unread only when asked), with the total.
pub fn list(
    conn: &mut PgConnection,
    user: Uuid,
    unread_only: bool,
    request: &common::list::ListRequest,
) -> QueryResult<(Vec<Notification>, i64)> {
    let filtered = || {
        let mut query = notifications::table
            .filter(notifications::user_id.eq(user))
            .filter(notifications::in_app.eq(true))
            .into_boxed();
        if unread_only {
            query = query.filter(notifications::read_at.is_null());
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let ascending = request.sort.first().is_some_and(|k| !k.descending);
    let query = filtered()
        .select(Notification::as_select())
        .offset(request.offset())
        .limit(request.limit());
    let rows = if ascending {
        query.order(notifications::id.asc()).load(conn)?
    } else {
        query.order(notifications::id.desc()).load(conn)?
    };
    Ok((rows, total))
}

pub fn unread_count(conn: &mut PgConnection, user: Uuid) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::in_app.eq(true))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// Marks one of the user's notifications read; false when it is not theirs or not there.
pub fn mark_read(conn: &mut PgConnection, user: Uuid, id: i64) -> QueryResult<bool> {
    let found = diesel::update(
        notifications::table
            .filter(notifications::id.eq(id))
            .filter(notifications::user_id.eq(user))
            .filter(notifications::in_app.eq(true)),
    )
    .set(notifications::read_at.eq(diesel::dsl::sql::<
        diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
    >("COALESCE(read_at, now())")))
    .execute(conn)?;
    Ok(found == 1)
}

pub fn mark_all_read(conn: &mut PgConnection, user: Uuid) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Utc::now()))
    .execute(conn)
}

/// Unread listed notifications of one user, newest first (for the digest).
pub fn unread_of(
    conn: &mut PgConnection,
    user: Uuid,
    limit: i64,
) -> QueryResult<Vec<Notification>> {
    notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::in_app.eq(true))
        .filter(notifications::read_at.is_null())
        .select(Notification::as_select())
        .order(notifications::id.desc())
        .limit(limit)
        .load(conn)
}
