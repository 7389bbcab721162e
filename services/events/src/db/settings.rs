//! Per-user event settings.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::schema::event_settings;

/// A user's event settings (defaults until changed).
#[derive(Debug, Clone, Default, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = event_settings)]
pub struct EventSettings {
    /// Registering needs this on.
    pub accepts_event_rules: bool,
    /// Others may see my registrations.
    pub public_registrations: bool,
    /// Seen only by organizers of events I register for.
    pub allergies: String,
    pub photo_consent: bool,
}

pub fn of(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<EventSettings> {
    event_settings::table
        .find(user_id)
        .select(EventSettings::as_select())
        .first(conn)
        .optional()
        .map(Option::unwrap_or_default)
}

pub fn save(
    conn: &mut PgConnection,
    user_id: Uuid,
    s: &EventSettings,
) -> QueryResult<EventSettings> {
    let values = (
        event_settings::user_id.eq(user_id),
        event_settings::accepts_event_rules.eq(s.accepts_event_rules),
        event_settings::public_registrations.eq(s.public_registrations),
        event_settings::allergies.eq(&s.allergies),
        event_settings::photo_consent.eq(s.photo_consent),
        event_settings::updated_at.eq(diesel::dsl::now),
    );
    diesel::insert_into(event_settings::table)
        .values(values)
        .on_conflict(event_settings::user_id)
        .do_update()
        .set(values)
        .returning(EventSettings::as_returning())
        .get_result(conn)
}

/// Allergies of users, for organizers.
pub fn allergies(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, String)>> {
    event_settings::table
        .filter(event_settings::user_id.eq_any(ids))
        .select((event_settings::user_id, event_settings::allergies))
        .load(conn)
}
