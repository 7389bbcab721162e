//! The outgoing mail queue.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::outgoing_mail as mail;

/// A mail to send.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = mail)]
pub struct NewMail {
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// It holds a secret: redacted once delivered or given up.
    pub sensitive: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail)]
pub struct Mail {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i32,
}

/// Queues a mail; a second mail with the same Message-ID is ignored.
pub fn enqueue(conn: &mut PgConnection, new: &NewMail) -> QueryResult<usize> {
    diesel::insert_into(mail::table)
        .values(new)
        .on_conflict(mail::message_id)
        .do_nothing()
        .execute(conn)
}

/// Takes up to `limit` due mails for `lease_secs` seconds (no other worker
/// takes them meanwhile) and counts the attempt.
pub fn claim(conn: &mut PgConnection, limit: i64, lease_secs: i64) -> QueryResult<Vec<Mail>> {
    diesel::sql_query(
        "UPDATE outgoing_mail SET locked_until = now() + make_interval(secs => $2), attempts = attempts + 1
         WHERE id IN (
             SELECT id FROM outgoing_mail
             WHERE status = 'pending' AND next_attempt_at <= now()
               AND (locked_until IS NULL OR locked_until < now())
             ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, message_id, recipient, subject, text_body, html_body, attempts",
    )
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .bind::<diesel::sql_types::BigInt, _>(lease_secs)
    .load::<ClaimedRow>(conn)
    .map(|rows| rows.into_iter().map(Mail::from).collect())
}

#[derive(QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    message_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    recipient: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    subject: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    text_body: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    html_body: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
}

impl From<ClaimedRow> for Mail {
    fn from(r: ClaimedRow) -> Self {
        Self {
            id: r.id,
            message_id: r.message_id,
            recipient: r.recipient,
            subject: r.subject,
            text_body: r.text_body,
            html_body: r.html_body,
            attempts: r.attempts,
        }
    }
}

pub fn mark_sent(conn: &mut PgConnection, id: i64) -> QueryResult<usize> {
    diesel::update(mail::table.find(id))
        .set((
            mail::status.eq("sent"),
            mail::sent_at.eq(Utc::now()),
            mail::locked_until.eq(None::<DateTime<Utc>>),
            mail::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    redact_if_sensitive(conn, id)
}

/// What a mail that held a secret keeps once it is no longer needed.
pub const REDACTED: &str =
    "[This mail held a single-use link. It is not kept once the mail was delivered or given up.]";

/// Replaces the bodies of a sensitive mail (delivered or given up).
fn redact_if_sensitive(conn: &mut PgConnection, id: i64) -> QueryResult<usize> {
    diesel::update(mail::table.find(id).filter(mail::sensitive.eq(true)))
        .set((mail::text_body.eq(REDACTED), mail::html_body.eq(REDACTED)))
        .execute(conn)
}

#[derive(QueryableByName)]
struct Levels {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pending: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    oldest: i64,
}

/// Pending mails, and the age in seconds of the oldest one (0 when none).
pub fn queue_levels(conn: &mut PgConnection) -> QueryResult<(i64, i64)> {
    diesel::sql_query(
        "SELECT count(*) AS pending, \
           COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::bigint AS oldest \
         FROM outgoing_mail WHERE status = 'pending'",
    )
    .get_result::<Levels>(conn)
    .map(|l| (l.pending, l.oldest))
}

/// Deletes delivered and failed mail older than `days`.
pub fn prune(conn: &mut PgConnection, days: i64) -> QueryResult<usize> {
    diesel::delete(
        mail::table
            .filter(mail::status.ne("pending"))
            .filter(mail::created_at.lt(Utc::now() - chrono::Duration::days(days))),
    )
    .execute(conn)
}

/// Tries again at `next`, or gives up (`failed`) when `next` is `None`.
pub fn record_failure(
    conn: &mut PgConnection,
    id: i64,
    error: &str,
    next: Option<DateTime<Utc>>,
) -> QueryResult<usize> {
    let status = if next.is_some() { "pending" } else { "failed" };
    let updated = diesel::update(mail::table.find(id))
        .set((
            mail::status.eq(status),
            mail::last_error.eq(error),
            mail::locked_until.eq(None::<DateTime<Utc>>),
            mail::next_attempt_at.eq(next.unwrap_or_else(Utc::now)),
        ))
        .execute(conn)?;
    if next.is_none() {
        redact_if_sensitive(conn, id)?;
    }
    Ok(updated)
}

/// Gives back mails taken but not tried (the worker is stopping), so another
/// worker sends them at once instead of after the lease.
pub fn release(conn: &mut PgConnection, ids: Vec<i64>) -> QueryResult<usize> {
    diesel::update(mail::table.filter(mail::id.eq_any(ids)))
        .set((
            mail::locked_until.eq(None::<DateTime<Utc>>),
            mail::attempts.eq(mail::attempts - 1),
        ))
        .execute(conn)
}

/// How many mails wait to be sent (for the metrics).
pub fn backlog(conn: &mut PgConnection) -> QueryResult<i64> {
    mail::table
        .filter(mail::status.eq("pending"))
        .count()
        .get_result(conn)
}
