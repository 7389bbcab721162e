//! Organizers' messages sent, for their limit (`domain::privacy`).

use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::event_messages;

/// How many messages the event's organizers sent since `since`, and when the
/// oldest of them went.
pub fn sent_since(
    conn: &mut PgConnection,
    event_id: Uuid,
    since: DateTime<Utc>,
) -> QueryResult<(i64, Option<DateTime<Utc>>)> {
    event_messages::table
        .filter(event_messages::event_id.eq(event_id))
        .filter(event_messages::sent_at.gt(since))
        .select((count_star(), min(event_messages::sent_at)))
        .get_result(conn)
}

/// Records a message sent to `recipients` people.
pub fn record(
    conn: &mut PgConnection,
    event_id: Uuid,
    sender_id: Uuid,
    recipients: i32,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(event_messages::table)
        .values((
            event_messages::event_id.eq(event_id),
            event_messages::sender_id.eq(sender_id),
            event_messages::recipients.eq(recipients),
            event_messages::sent_at.eq(at),
        ))
        .execute(conn)
}
