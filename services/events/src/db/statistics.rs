//! What organizers count about an event's participants.

use diesel::dsl::count_star;
use diesel::prelude::*;
use uuid::Uuid;

use super::models::CONFIRMED;
use super::schema::{event_settings, groups, memberships, registrations, users};

/// Confirmed participants per group they are a current member of: slug,
/// name, kind and count, largest first.
pub fn by_group(
    conn: &mut PgConnection,
    event_id: Uuid,
) -> QueryResult<Vec<(String, String, String, i64)>> {
    registrations::table
        .inner_join(memberships::table.on(memberships::user_id.eq(registrations::user_id)))
        .inner_join(groups::table.on(groups::id.eq(memberships::group_id)))
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.eq(CONFIRMED))
        .filter(memberships::role.is_not_null())
        .filter(groups::deleted.eq(false))
        .group_by((groups::slug, groups::name, groups::kind))
        .select((groups::slug, groups::name, groups::kind, count_star()))
        .order((count_star().desc(), groups::slug.asc()))
        .load(conn)
}

/// A confirmed participant's username, allergies and photo consent (the
/// defaults for someone without settings: none, not given).
pub type ParticipantFacts = (Uuid, String, Option<String>, Option<bool>);

/// The confirmed participants on the event by their own choice (not an
/// administrator's placement) with what organizers need to know, by username.
pub fn participants_by_own_choice(
    conn: &mut PgConnection,
    event_id: Uuid,
) -> QueryResult<Vec<ParticipantFacts>> {
    registrations::table
        .inner_join(users::table.on(users::id.eq(registrations::user_id)))
        .left_join(event_settings::table.on(event_settings::user_id.eq(registrations::user_id)))
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.eq(CONFIRMED))
        .filter(registrations::added_by_organizer.eq(false))
        .order(users::username.asc())
        .select((
            users::id,
            users::username,
            event_settings::allergies.nullable(),
            event_settings::photo_consent.nullable(),
        ))
        .load(conn)
}
