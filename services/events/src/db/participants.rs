//! Confirmed participants who share their registrations.

use diesel::prelude::*;
use uuid::Uuid;

use super::models::CONFIRMED;
use super::schema::{event_settings, registrations, users};

/// Id, username and full name of the confirmed participants of an event who
/// share their registrations, by registration time.
pub fn confirmed_sharing(
    conn: &mut PgConnection,
    event_id: Uuid,
) -> QueryResult<Vec<(Uuid, String, String)>> {
    registrations::table
        .inner_join(event_settings::table.on(event_settings::user_id.eq(registrations::user_id)))
        .inner_join(users::table.on(users::id.eq(registrations::user_id)))
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.eq(CONFIRMED))
        .filter(event_settings::public_registrations.eq(true))
        .order((registrations::registered_at.asc(), registrations::id.asc()))
        .select((users::id, users::username, users::full_name))
        .load(conn)
}
