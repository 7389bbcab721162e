//! What the scheduled jobs find to do: events whose time for a job has come
//! and that no instance has claimed for it yet (`job_runs`).

use chrono::{DateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use uuid::Uuid;

use super::job_runs::{AFTER_EVENT, REGISTRATION_OPENED, SIGN_OFF_REMINDER};
use super::schema::{events, favourites, job_runs};

/// How late after its opening time a missed "registration has opened" notice
/// is still sent (an instance was down).
pub const OPENED_CATCH_UP: chrono::Duration = chrono::Duration::hours(6);

/// Events whose registration opened at or before `now` (and not long before),
/// still open, not yet announced for that opening time.
pub fn openings(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<Vec<Uuid>> {
    events::table
        .filter(events::sign_up.eq(true))
        .filter(events::closed.eq(false))
        .filter(events::registration_opens_at.le(now))
        .filter(events::registration_opens_at.gt(now - OPENED_CATCH_UP))
        .filter(events::registration_closes_at.gt(now))
        .filter(not(exists(
            job_runs::table
                .filter(job_runs::job.eq(REGISTRATION_OPENED))
                .filter(job_runs::subject.eq(events::id))
                .filter(
                    job_runs::occasion_at
                        .nullable()
                        .eq(events::registration_opens_at),
                ),
        )))
        .order(events::registration_opens_at.asc())
        .select(events::id)
        .load(conn)
}

/// Events with sign-up on, not closed and someone registered, whose sign-off
/// deadline is after `now` and before `until`, not yet reminded of it.
pub fn deadlines(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    events::table
        .filter(events::sign_up.eq(true))
        .filter(events::closed.eq(false))
        .filter(events::sign_off_deadline.gt(now))
        .filter(events::sign_off_deadline.lt(until))
        .filter((events::confirmed_count + events::waiting_count).gt(0))
        .filter(not(exists(
            job_runs::table
                .filter(job_runs::job.eq(SIGN_OFF_REMINDER))
                .filter(job_runs::subject.eq(events::id))
                .filter(
                    job_runs::occasion_at
                        .nullable()
                        .eq(events::sign_off_deadline),
                ),
        )))
        .order(events::sign_off_deadline.asc())
        .select(events::id)
        .load(conn)
}

/// Events that ended in `[from, until)` and were not wound up yet.
pub fn ended(
    conn: &mut PgConnection,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    events::table
        .filter(events::ends_at.ge(from))
        .filter(events::ends_at.lt(until))
        .filter(not(exists(
            job_runs::table
                .filter(job_runs::job.eq(AFTER_EVENT))
                .filter(job_runs::subject.eq(events::id)),
        )))
        .order(events::ends_at.asc())
        .select(events::id)
        .load(conn)
}

/// Who marked an event as a favourite.
pub fn favourers(conn: &mut PgConnection, event_id: Uuid) -> QueryResult<Vec<Uuid>> {
    favourites::table
        .filter(favourites::event_id.eq(event_id))
        .order(favourites::created_at.asc())
        .select(favourites::user_id)
        .load(conn)
}
