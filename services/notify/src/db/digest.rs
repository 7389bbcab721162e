//! The daily digest's queries: claiming a day, and who gets a mail.

use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{digest_runs, notifications as n, recipients};

/// Claims `day` for `instance`; false when another instance already has it.
pub fn claim_day(conn: &mut PgConnection, day: NaiveDate, instance: &str) -> QueryResult<bool> {
    diesel::insert_into(digest_runs::table)
        .values((
            digest_runs::day.eq(day),
            digest_runs::instance.eq(instance),
            digest_runs::mails.eq(0),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|claimed| claimed == 1)
}

/// A digest's reader: id, username and address.
pub type Reader = (Uuid, String, String);

/// Active people who keep the digest on and have unread listed notifications.
pub fn readers(conn: &mut PgConnection) -> QueryResult<Vec<Reader>> {
    recipients::table
        .filter(recipients::daily_digest.eq(true))
        .filter(recipients::status.eq("active"))
        .filter(diesel::dsl::exists(
            n::table
                .filter(n::user_id.eq(recipients::id))
                .filter(n::in_app.eq(true))
                .filter(n::read_at.is_null()),
        ))
        .select((recipients::id, recipients::username, recipients::email))
        .load(conn)
}

/// Records how many mails `day`'s digest queued.
pub fn record_mails(conn: &mut PgConnection, day: NaiveDate, mails: i32) -> QueryResult<()> {
    diesel::update(digest_runs::table.find(day))
        .set(digest_runs::mails.eq(mails))
        .execute(conn)
        .map(|_| ())
}
