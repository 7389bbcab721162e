//! Claims of scheduled work: the instance whose transaction inserts the claim
//! does the work in that transaction; a second try finds it and skips.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::job_runs;

/// The jobs, as stored.
pub const SIGN_OFF_REMINDER: &str = "sign_off_reminder";
pub const REGISTRATION_OPENED: &str = "registration_opened";
pub const AFTER_EVENT: &str = "after_event";

/// The occasion of a job that runs once per subject, whatever its times.
pub fn once() -> DateTime<Utc> {
    DateTime::UNIX_EPOCH
}

/// Claims `job` for `subject` at `occasion`; false when it was claimed before
/// (waits for a concurrent claimer's transaction to end, then sees its claim).
pub fn claim(
    conn: &mut PgConnection,
    job: &str,
    subject: Uuid,
    occasion: DateTime<Utc>,
    instance: &str,
) -> QueryResult<bool> {
    diesel::insert_into(job_runs::table)
        .values((
            job_runs::job.eq(job),
            job_runs::subject.eq(subject),
            job_runs::occasion_at.eq(occasion),
            job_runs::instance.eq(instance),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|claimed| claimed == 1)
}
