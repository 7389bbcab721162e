//! Strike queries. "Active" is `expires_at > now`, with `expires_at` from
//! `domain::strikes::active_until`.

use chrono::{DateTime, Utc};
use diesel::dsl::sum;
use diesel::prelude::*;
use uuid::Uuid;

use super::models::StrikeRow;
use super::schema::strikes;

/// A strike to give.
#[derive(Debug, Clone)]
pub struct NewStrike<'a> {
    pub user_id: Uuid,
    pub kind: &'a str,
    pub points: i32,
    pub description: &'a str,
    pub event_id: Option<Uuid>,
    pub event_title: Option<&'a str>,
    pub given_by: Option<Uuid>,
    pub given_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Gives a strike; `None` when it is a second `past_deadline` strike for the
/// same user and event.
pub fn insert(conn: &mut PgConnection, s: &NewStrike<'_>) -> QueryResult<Option<StrikeRow>> {
    diesel::insert_into(strikes::table)
        .values((
            strikes::user_id.eq(s.user_id),
            strikes::kind.eq(s.kind),
            strikes::points.eq(s.points),
            strikes::description.eq(s.description),
            strikes::event_id.eq(s.event_id),
            strikes::event_title.eq(s.event_title),
            strikes::given_by.eq(s.given_by),
            strikes::given_at.eq(s.given_at),
            strikes::expires_at.eq(s.expires_at),
        ))
        .on_conflict_do_nothing()
        .returning(StrikeRow::as_returning())
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<StrikeRow>> {
    strikes::table
        .find(id)
        .select(StrikeRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(strikes::table.find(id)).execute(conn)
}

/// The points of the user's strikes active at `now`.
pub fn active_points(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    strikes::table
        .filter(strikes::user_id.eq(user_id))
        .filter(strikes::expires_at.gt(now))
        .select(sum(strikes::points))
        .first::<Option<i64>>(conn)
        .map(Option::unwrap_or_default)
}

/// Sort fields of strike lists.
pub const SORT_FIELDS: &[&str] = &["given_at", "expires_at", "points"];

/// A user's strikes, active ones only unless `all`, newest first.
pub fn of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    all: bool,
    now: DateTime<Utc>,
    request: &common::list::ListRequest,
) -> QueryResult<(Vec<StrikeRow>, i64)> {
    let filtered = || {
        let mut q = strikes::table
            .filter(strikes::user_id.eq(user_id))
            .into_boxed();
        if !all {
            q = q.filter(strikes::expires_at.gt(now));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let mut query = filtered().select(StrikeRow::as_select());
    for key in &request.sort {
        query = match (key.field, key.descending) {
            ("expires_at", false) => query.then_order_by(strikes::expires_at.asc()),
            ("expires_at", true) => query.then_order_by(strikes::expires_at.desc()),
            ("points", false) => query.then_order_by(strikes::points.asc()),
            ("points", true) => query.then_order_by(strikes::points.desc()),
            ("given_at", false) => query.then_order_by(strikes::given_at.asc()),
            _ => query.then_order_by(strikes::given_at.desc()),
        };
    }
    let rows = query
        .then_order_by(strikes::id.asc())
        .offset(request.offset())
        .limit(request.limit())
        .load(conn)?;
    Ok((rows, total))
}

/// Those of `users` whose active points at `now` reach `points`.
pub fn with_points_from(
    conn: &mut PgConnection,
    users: &[Uuid],
    points: i64,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    strikes::table
        .filter(strikes::user_id.eq_any(users))
        .filter(strikes::expires_at.gt(now))
        .group_by(strikes::user_id)
        .having(sum(strikes::points).ge(points))
        .select(strikes::user_id)
        .load(conn)
}
