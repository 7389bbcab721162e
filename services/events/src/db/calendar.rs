//! Secret calendar links and what a feed lists.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::models::EventRow;
use super::schema::{calendar_links, events, registrations};

/// The user's link: secret and when it was made.
pub fn link_of(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> QueryResult<Option<(String, DateTime<Utc>)>> {
    calendar_links::table
        .find(user_id)
        .select((calendar_links::secret, calendar_links::created_at))
        .first(conn)
        .optional()
}

/// Gives the user `secret` as their link, retiring any older one.
pub fn set_link(
    conn: &mut PgConnection,
    user_id: Uuid,
    secret: &str,
) -> QueryResult<(String, DateTime<Utc>)> {
    diesel::insert_into(calendar_links::table)
        .values((
            calendar_links::user_id.eq(user_id),
            calendar_links::secret.eq(secret),
        ))
        .on_conflict(calendar_links::user_id)
        .do_update()
        .set((
            calendar_links::secret.eq(secret),
            calendar_links::created_at.eq(diesel::dsl::now),
        ))
        .returning((calendar_links::secret, calendar_links::created_at))
        .get_result(conn)
}

/// Whose link `secret` is.
pub fn owner_of(conn: &mut PgConnection, secret: &str) -> QueryResult<Option<Uuid>> {
    calendar_links::table
        .filter(calendar_links::secret.eq(secret))
        .select(calendar_links::user_id)
        .first(conn)
        .optional()
}

/// Every registration of the user, past and upcoming, with its event and
/// its status, by start.
pub fn entries(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Vec<(EventRow, String)>> {
    registrations::table
        .inner_join(events::table)
        .filter(registrations::user_id.eq(user_id))
        .order((events::starts_at.asc(), events::id.asc()))
        .select((EventRow::as_select(), registrations::status))
        .load(conn)
}
