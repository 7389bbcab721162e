//! Organizers' invitations (`domain::invitations` holds their rules). An
//! invitation is open while its event takes registrations: not closed, and
//! registration has not closed yet.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{events, invitations, users};

/// An open invitation with what its invitee needs to decide.
#[derive(Debug, Clone, Queryable)]
pub struct MyInvitation {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: DateTime<Utc>,
    pub event_location: String,
    pub invited_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub invited_by: Option<String>,
}

/// An open invitation to an event, as its organizers see it.
#[derive(Debug, Clone, Queryable)]
pub struct Invited {
    pub user_id: Uuid,
    pub username: Option<String>,
    pub invited_at: DateTime<Utc>,
    pub invited_by: Uuid,
}

/// Invites `user_id`; false when already invited.
pub fn insert(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
    invited_by: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(invitations::table)
        .values((
            invitations::event_id.eq(event_id),
            invitations::user_id.eq(user_id),
            invitations::invited_by.eq(invited_by),
            invitations::invited_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(inserted == 1)
}

/// Ends an invitation (accepted, declined or withdrawn); whether there was one.
pub fn delete(conn: &mut PgConnection, event_id: Uuid, user_id: Uuid) -> QueryResult<bool> {
    let deleted = diesel::delete(invitations::table.find((event_id, user_id))).execute(conn)?;
    Ok(deleted == 1)
}

/// The open invitation of `user_id` to `event_id`, if any.
pub fn open_one(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Option<MyInvitation>> {
    Ok(open_of_user(conn, user_id, now)?
        .into_iter()
        .find(|i| i.event_id == event_id))
}

/// The open invitations of `user_id`, soonest event first.
pub fn open_of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Vec<MyInvitation>> {
    let inviter = diesel::alias!(users as inviter);
    invitations::table
        .inner_join(events::table)
        .left_join(inviter.on(inviter.field(users::id).eq(invitations::invited_by)))
        .filter(invitations::user_id.eq(user_id))
        .filter(events::closed.eq(false))
        .filter(events::registration_closes_at.gt(now))
        .order((events::starts_at.asc(), events::id.asc()))
        .select((
            events::id,
            events::title,
            events::starts_at,
            events::location,
            invitations::invited_at,
            events::registration_closes_at,
            inviter.field(users::username).nullable(),
        ))
        .load(conn)
}

/// The open invitations to `event_id` (none once registration closed), by
/// when they were sent.
pub fn open_of_event(
    conn: &mut PgConnection,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Invited>> {
    invitations::table
        .inner_join(events::table)
        .left_join(users::table.on(users::id.eq(invitations::user_id)))
        .filter(invitations::event_id.eq(event_id))
        .filter(events::closed.eq(false))
        .filter(events::registration_closes_at.gt(now))
        .order((invitations::invited_at.asc(), invitations::user_id.asc()))
        .select((
            invitations::user_id,
            users::username.nullable(),
            invitations::invited_at,
            invitations::invited_by,
        ))
        .load(conn)
}
