//! The copy of auth's users, groups and memberships. Each row remembers the
//! time of the fact it holds (`synced_at`); an older fact never overwrites a
//! newer one, so replays and out-of-order deliveries change nothing.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

use super::models::GroupRow;
use super::schema::{groups, memberships, users};
use crate::domain::permissions::MemberOf;

/// Inserts or updates a user (if this fact is newer). `new_account`: the
/// account was just created, so it has no memberships yet that we missed.
pub fn upsert_user(
    conn: &mut PgConnection,
    id: Uuid,
    username: &str,
    full_name: &str,
    status: &str,
    at: DateTime<Utc>,
    new_account: bool,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO users (id, username, full_name, status, synced_at, memberships_known) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, \
           full_name = EXCLUDED.full_name, status = EXCLUDED.status, synced_at = EXCLUDED.synced_at \
         WHERE users.synced_at < EXCLUDED.synced_at",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(username)
    .bind::<Text, _>(full_name)
    .bind::<Text, _>(status)
    .bind::<Timestamptz, _>(at)
    .bind::<Bool, _>(new_account)
    .execute(conn)
}

/// Marks the user's memberships as complete (after a fetch from auth),
/// creating the user row if needed.
pub fn mark_memberships_known(
    conn: &mut PgConnection,
    id: Uuid,
    username: &str,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO users (id, username, status, synced_at, memberships_known) \
         VALUES ($1, $2, 'active', $3, true) \
         ON CONFLICT (id) DO UPDATE SET memberships_known = true",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(username)
    .bind::<Timestamptz, _>(at)
    .execute(conn)
}

/// Inserts or updates a group (if this fact is newer); an empty `kind`
/// (events from before kinds were carried) keeps the kind known.
pub fn upsert_group(
    conn: &mut PgConnection,
    group: &GroupRow,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    // The same group arriving twice at once (auth's event, and a request
    // asking auth) can trip the slug index, which ON CONFLICT (id) does not
    // arbitrate: PostgreSQL raises the violation instead of updating. Tried
    // once more under a savepoint, the second insert sees the first's row.
    match conn.transaction(|conn| insert_group(conn, group, at)) {
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => insert_group(conn, group, at),
        done => done,
    }
}

fn insert_group(
    conn: &mut PgConnection,
    group: &GroupRow,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    // A deleted group's slug may be reused by a new group.
    diesel::sql_query(
        "INSERT INTO groups (id, slug, name, kind, deleted, synced_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, \
           kind = CASE WHEN EXCLUDED.kind = '' THEN groups.kind ELSE EXCLUDED.kind END, \
           deleted = EXCLUDED.deleted, synced_at = EXCLUDED.synced_at \
         WHERE groups.synced_at < EXCLUDED.synced_at",
    )
    .bind::<SqlUuid, _>(group.id)
    .bind::<Text, _>(&group.slug)
    .bind::<Text, _>(&group.name)
    .bind::<Text, _>(&group.kind)
    .bind::<Bool, _>(group.deleted)
    .bind::<Timestamptz, _>(at)
    .execute(conn)
}

/// Sets a membership's role (`None`: left), if this fact is newer.
pub fn upsert_membership(
    conn: &mut PgConnection,
    user_id: Uuid,
    group_id: Uuid,
    role: Option<&str>,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO memberships (user_id, group_id, role, synced_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, group_id) DO UPDATE SET role = EXCLUDED.role, \
           synced_at = EXCLUDED.synced_at \
         WHERE memberships.synced_at < EXCLUDED.synced_at",
    )
    .bind::<SqlUuid, _>(user_id)
    .bind::<SqlUuid, _>(group_id)
    .bind::<Nullable<Text>, _>(role)
    .bind::<Timestamptz, _>(at)
    .execute(conn)
}

/// Ends the memberships of `user_id` that a snapshot taken at `at` no longer holds.
pub fn end_memberships_not_in(
    conn: &mut PgConnection,
    user_id: Uuid,
    kept: &[Uuid],
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        memberships::table
            .filter(memberships::user_id.eq(user_id))
            .filter(memberships::group_id.ne_all(kept))
            .filter(memberships::synced_at.lt(at)),
    )
    .set((
        memberships::role.eq(None::<String>),
        memberships::synced_at.eq(at),
    ))
    .execute(conn)
}

/// Ends every membership of a deleted group; returns whose ended.
pub fn end_memberships_of_group(
    conn: &mut PgConnection,
    group_id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    diesel::update(
        memberships::table
            .filter(memberships::group_id.eq(group_id))
            .filter(memberships::role.is_not_null()),
    )
    .set((
        memberships::role.eq(None::<String>),
        memberships::synced_at.eq(at),
    ))
    .returning(memberships::user_id)
    .get_results(conn)
}

/// The user's current memberships, or `None` when the copy does not know
/// them completely (the user was never seen, or predates the copy).
pub fn memberships_if_known(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> QueryResult<Option<Vec<MemberOf>>> {
    let known: Option<bool> = users::table
        .find(user_id)
        .select(users::memberships_known)
        .first(conn)
        .optional()?;
    if known != Some(true) {
        return Ok(None);
    }
    current_memberships(conn, user_id).map(Some)
}

pub fn current_memberships(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Vec<MemberOf>> {
    let rows: Vec<(Uuid, Option<String>)> = memberships::table
        .inner_join(groups::table.on(groups::id.eq(memberships::group_id)))
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::role.is_not_null())
        .filter(groups::deleted.eq(false))
        .select((memberships::group_id, memberships::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(group_id, role)| MemberOf {
            group_id,
            role: role.unwrap_or_default(),
        })
        .collect())
}

/// Live groups by slug.
pub fn groups_by_slug(conn: &mut PgConnection, slugs: &[String]) -> QueryResult<Vec<GroupRow>> {
    groups::table
        .filter(groups::slug.eq_any(slugs))
        .filter(groups::deleted.eq(false))
        .select(GroupRow::as_select())
        .load(conn)
}

/// Groups by id (deleted ones too: old events name them).
pub fn groups_by_id(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<Vec<GroupRow>> {
    groups::table
        .filter(groups::id.eq_any(ids))
        .select(GroupRow::as_select())
        .load(conn)
}

/// Usernames and full names of users, for lists.
pub fn names(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, String, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username, users::full_name))
        .load(conn)
}

/// One user's username, empty when the copy does not know them.
pub fn username(conn: &mut PgConnection, id: Uuid) -> QueryResult<String> {
    Ok(names(conn, &[id])?
        .pop()
        .map(|(_, name, _)| name)
        .unwrap_or_default())
}

/// Users who are current members of `group_id`.
pub fn members_of(conn: &mut PgConnection, group_id: Uuid) -> QueryResult<Vec<Uuid>> {
    memberships::table
        .filter(memberships::group_id.eq(group_id))
        .filter(memberships::role.is_not_null())
        .select(memberships::user_id)
        .load(conn)
}

/// Current members of `group_id` with their roles.
pub fn roles_in(conn: &mut PgConnection, group_id: Uuid) -> QueryResult<Vec<(Uuid, String)>> {
    let rows: Vec<(Uuid, Option<String>)> = memberships::table
        .filter(memberships::group_id.eq(group_id))
        .filter(memberships::role.is_not_null())
        .order(memberships::user_id.asc())
        .select((memberships::user_id, memberships::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, role)| (user, role.unwrap_or_default()))
        .collect())
}

/// What registering needs to know of a person, in one round trip.
#[derive(Debug, QueryableByName)]
pub struct Facts {
    /// Whether the copy knows the person's memberships completely.
    #[diesel(sql_type = Bool)]
    pub known: bool,
    #[diesel(sql_type = diesel::sql_types::Array<SqlUuid>)]
    pub groups: Vec<Uuid>,
    #[diesel(sql_type = Bool)]
    pub accepts_event_rules: bool,
    /// Points of the strikes active at `now`.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub active_points: i64,
    /// The event has a survey the person has not answered.
    #[diesel(sql_type = Bool)]
    pub survey_unanswered: bool,
    /// The title of an event the person attended (checked in) that ended in
    /// the last 30 days and whose evaluation they have not answered.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub evaluation_due: Option<String>,
}

/// How long after an event its attendees must have evaluated it before
/// registering for another event that enforces strikes.
pub const EVALUATION_DAYS: i32 = 30;

pub fn facts(
    conn: &mut PgConnection,
    user_id: Uuid,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Facts> {
    common::prepared::prepared(
        "SELECT COALESCE((SELECT memberships_known FROM users WHERE id = $1), false) AS known,
                ARRAY(SELECT m.group_id FROM memberships m JOIN groups g ON g.id = m.group_id
                      WHERE m.user_id = $1 AND m.role IS NOT NULL AND NOT g.deleted) AS groups,
                COALESCE((SELECT accepts_event_rules FROM event_settings WHERE user_id = $1), false)
                    AS accepts_event_rules,
                COALESCE((SELECT sum(points) FROM strikes WHERE user_id = $1 AND expires_at > $2), 0)::bigint
                    AS active_points,
                EXISTS (SELECT 1 FROM forms f WHERE f.event_id = $3 AND f.kind = 'survey'
                        AND NOT EXISTS (SELECT 1 FROM form_answers a WHERE a.form_id = f.id AND a.user_id = $1))
                    AS survey_unanswered,
                (SELECT e.title FROM registrations r
                   JOIN events e ON e.id = r.event_id
                   JOIN forms f ON f.event_id = e.id AND f.kind = 'evaluation'
                 WHERE r.user_id = $1 AND r.status = 'confirmed' AND r.attended_at IS NOT NULL
                   AND e.ends_at <= $2 AND e.ends_at > $2 - make_interval(days => $4)
                   AND NOT EXISTS (SELECT 1 FROM form_answers a WHERE a.form_id = f.id AND a.user_id = $1)
                 ORDER BY e.ends_at LIMIT 1) AS evaluation_due",
        (
            common::prepared::bind::<SqlUuid, _>(user_id),
            common::prepared::bind::<Timestamptz, _>(now),
            common::prepared::bind::<SqlUuid, _>(event_id),
            common::prepared::bind::<diesel::sql_types::Integer, _>(EVALUATION_DAYS),
        ),
    )
    .get_result(conn)
}
