//! The registration of the opening-minute stampede, in one statement.
//!
//! Most presses need nothing but a free place or the end of the waiting list:
//! no swap, no refusal. For those, taking the event's row lock, inserting the
//! registration, updating the counters and writing the outbox event happen in
//! one statement, so the lock is held for one round trip and its commit
//! instead of a transaction's worth of them (bench/results/events.md). The
//! statement decides from the locked row only (its counters, times and flags:
//! `FOR UPDATE` re-reads the newest version after waiting), and inserts
//! nothing when any rule might refuse or a swap might apply; the caller then
//! takes the general path (`domain::engine`), which says exactly why.

use chrono::{DateTime, Utc};
use common::outbox::Envelope;
use common::prepared::{bind, prepared};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

use crate::domain::engine::{FREE_PLACE, FULL};
use crate::domain::openings::Opening;

/// What the quick path made.
#[derive(Debug, QueryableByName)]
pub struct Quick {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub reason: String,
    #[diesel(sql_type = Timestamptz)]
    pub registered_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub position: Option<i64>,
    #[diesel(sql_type = Text)]
    pub check_in_code: String,
}

/// Registers `user_id` when the rules certainly admit them and no swap can
/// apply; `None` otherwise (nothing written). `delay_secs`: the strike delay
/// that applies where the event enforces previous strikes; `prioritized` was
/// computed from `opening`, which must still be the event's.
#[allow(clippy::too_many_arguments)]
pub fn register(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
    prioritized: bool,
    delay_secs: i64,
    now: DateTime<Utc>,
    envelope: &Envelope,
    opening: &Opening,
) -> QueryResult<Option<Quick>> {
    let skeleton = serde_json::to_value(envelope).unwrap_or_default();
    prepared(
        format!(
            "WITH event AS (
                 SELECT * FROM events WHERE id = $1 FOR UPDATE
             ), admitted AS (
                 SELECT event.*, (capacity = 0 OR confirmed_count < capacity) AS has_place FROM event
                 WHERE sign_up AND NOT closed
                   AND registration_opens_at IS NOT NULL AND registration_closes_at IS NOT NULL
                   AND $5 >= registration_opens_at
                        + CASE WHEN enforces_previous_strikes THEN $4 ELSE 0 END * interval '1 second'
                   AND $5 <= registration_closes_at
                   AND (NOT only_prioritized OR $3)
                   AND (capacity = 0 OR confirmed_count < capacity OR NOT $3)
                   AND priority_pools = $8::jsonb AND enforces_previous_strikes = $9
             ), registration AS (
                 INSERT INTO registrations (event_id, user_id, status, prioritized, reason)
                 SELECT id, $2, CASE WHEN has_place THEN 'confirmed' ELSE 'waitlisted' END, $3,
                        CASE WHEN has_place THEN '{FREE_PLACE}' ELSE '{FULL}' END
                 FROM admitted
                 ON CONFLICT DO NOTHING
                 RETURNING id, status, reason, registered_at, check_in_code
             ), placed AS (
                 SELECT registration.*, CASE WHEN status = 'confirmed' THEN NULL
                        ELSE admitted.waiting_count + 1 END::bigint AS position
                 FROM registration, admitted
             ), counted AS (
                 UPDATE events SET
                     confirmed_count = confirmed_count + CASE WHEN placed.status = 'confirmed' THEN 1 ELSE 0 END,
                     waiting_count = waiting_count + CASE WHEN placed.status = 'confirmed' THEN 0 ELSE 1 END
                 FROM placed WHERE events.id = $1
             ), published AS (
                 INSERT INTO outbox (id, event_type, payload)
                 SELECT $6, 'events.registration.' || placed.status,
                     jsonb_set(jsonb_set($7::jsonb, '{{type}}', to_jsonb('events.registration.' || placed.status)),
                         '{{data}}', jsonb_build_object(
                             'registration_id', placed.id, 'event_id', admitted.id,
                             'event_title', admitted.title, 'event_starts_at', admitted.starts_at,
                             'event_location', admitted.location, 'sign_off_deadline', admitted.sign_off_deadline,
                             'user_id', $2, 'status', placed.status, 'position', placed.position,
                             'reason', placed.reason, 'cause', ''))
                 FROM placed, admitted
             )
             SELECT id, status, reason, registered_at, position, check_in_code FROM placed"
        ),
        (
            bind::<SqlUuid, _>(event_id),
            bind::<SqlUuid, _>(user_id),
            bind::<Bool, _>(prioritized),
            bind::<BigInt, _>(delay_secs),
            bind::<Timestamptz, _>(now),
            bind::<SqlUuid, _>(envelope.id),
            bind::<Jsonb, _>(skeleton),
            bind::<Jsonb, _>(opening.pools_json.clone()),
            bind::<Bool, _>(opening.enforces_previous_strikes),
        ),
    )
    .get_result::<Quick>(conn)
    .optional()
}
