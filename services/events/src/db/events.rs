//! Event queries.

use chrono::{DateTime, Utc};
use common::list::ListRequest;
use diesel::prelude::*;
use uuid::Uuid;

use super::models::EventRow;
use super::schema::{events, favourites};
use crate::domain::openings::Opening;
use crate::domain::validate::EventFields;

/// The event, locked for the rest of the transaction.
pub fn lock(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<EventRow>> {
    events::table
        .find(id)
        .select(EventRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<EventRow>> {
    events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

/// What registering reads before the lock (kept in memory), `None` if no such event.
pub fn opening(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Opening>> {
    let row: Option<(Option<DateTime<Utc>>, serde_json::Value, bool)> = events::table
        .find(id)
        .select((
            events::registration_opens_at,
            events::priority_pools,
            events::enforces_previous_strikes,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(opens_at, pools_json, enforces_previous_strikes)| Opening {
            opens_at,
            pools: serde_json::from_value(pools_json.clone()).unwrap_or_default(),
            pools_json,
            enforces_previous_strikes,
        },
    ))
}

/// Writes the engine's counters.
pub fn save_counts(conn: &mut PgConnection, event: &EventRow) -> Result<(), common::ApiError> {
    diesel::update(events::table.find(event.id))
        .set((
            events::confirmed_count.eq(event.confirmed_count),
            events::waiting_count.eq(event.waiting_count),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn save_capacity(conn: &mut PgConnection, id: Uuid, capacity: i32) -> QueryResult<usize> {
    diesel::update(events::table.find(id))
        .set(events::capacity.eq(capacity))
        .execute(conn)
}

pub fn insert(
    conn: &mut PgConnection,
    fields: &EventFields,
    created_by: Uuid,
) -> QueryResult<EventRow> {
    diesel::insert_into(events::table)
        .values((
            values(fields),
            events::capacity.eq(fields.capacity),
            events::created_by.eq(created_by),
        ))
        .returning(EventRow::as_returning())
        .get_result(conn)
}

/// Writes every field but the capacity (which the engine changes).
pub fn update(conn: &mut PgConnection, id: Uuid, fields: &EventFields) -> QueryResult<EventRow> {
    diesel::update(events::table.find(id))
        .set((values(fields), events::updated_at.eq(diesel::dsl::now)))
        .returning(EventRow::as_returning())
        .get_result(conn)
}

#[allow(clippy::type_complexity)]
fn values(
    f: &EventFields,
) -> (
    (
        diesel::dsl::Eq<events::title, String>,
        diesel::dsl::Eq<events::description, String>,
        diesel::dsl::Eq<events::location, String>,
        diesel::dsl::Eq<events::starts_at, DateTime<Utc>>,
        diesel::dsl::Eq<events::ends_at, DateTime<Utc>>,
        diesel::dsl::Eq<events::category_id, Option<Uuid>>,
        diesel::dsl::Eq<events::organizer_id, Uuid>,
        diesel::dsl::Eq<events::contact_person_id, Option<Uuid>>,
    ),
    (
        diesel::dsl::Eq<events::sign_up, bool>,
        diesel::dsl::Eq<events::registration_opens_at, Option<DateTime<Utc>>>,
        diesel::dsl::Eq<events::registration_closes_at, Option<DateTime<Utc>>>,
        diesel::dsl::Eq<events::sign_off_deadline, Option<DateTime<Utc>>>,
        diesel::dsl::Eq<events::only_prioritized, bool>,
        diesel::dsl::Eq<events::can_cause_strikes, bool>,
        diesel::dsl::Eq<events::enforces_previous_strikes, bool>,
        diesel::dsl::Eq<events::closed, bool>,
        diesel::dsl::Eq<events::priority_pools, serde_json::Value>,
        diesel::dsl::Eq<events::offer_hours, Option<i32>>,
    ),
) {
    (
        (
            events::title.eq(f.title.clone()),
            events::description.eq(f.description.clone()),
            events::location.eq(f.location.clone()),
            events::starts_at.eq(f.starts_at),
            events::ends_at.eq(f.ends_at),
            events::category_id.eq(f.category_id),
            events::organizer_id.eq(f.organizer_id),
            events::contact_person_id.eq(f.contact_person_id),
        ),
        (
            events::sign_up.eq(f.sign_up),
            events::registration_opens_at.eq(f.registration_opens_at),
            events::registration_closes_at.eq(f.registration_closes_at),
            events::sign_off_deadline.eq(f.sign_off_deadline),
            events::only_prioritized.eq(f.only_prioritized),
            events::can_cause_strikes.eq(f.can_cause_strikes),
            events::enforces_previous_strikes.eq(f.enforces_previous_strikes),
            events::closed.eq(f.closed),
            events::priority_pools.eq(serde_json::to_value(&f.priority_pools).unwrap_or_default()),
            events::offer_hours.eq(f.offer_hours),
        ),
    )
}

pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(events::table.find(id)).execute(conn)
}

/// Fields the events list sorts by.
pub const SORT_FIELDS: &[&str] = &["starts_at", "ends_at", "title", "created_at"];

/// The list's filters, checked.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub category: Option<Uuid>,
    pub organizer: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub open_at: Option<DateTime<Utc>>,
    /// Only the favourites of this user.
    pub favourites_of: Option<Uuid>,
    /// `Ok(cutoff)`: events ending at or after it; `Err(cutoff)`: before it.
    pub ends: Option<Result<DateTime<Utc>, DateTime<Utc>>>,
}

type Boxed<'a> = events::BoxedQuery<'a, diesel::pg::Pg>;

fn filtered<'a>(filter: &'a EventFilter, q: Option<&'a str>) -> Boxed<'a> {
    let mut query = events::table.into_boxed();
    if let Some(category) = filter.category {
        query = query.filter(events::category_id.eq(category));
    }
    if let Some(organizer) = filter.organizer {
        query = query.filter(events::organizer_id.eq(organizer));
    }
    if let Some(from) = filter.from {
        query = query.filter(events::ends_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(events::starts_at.le(to));
    }
    if let Some(now) = filter.open_at {
        query = query
            .filter(events::sign_up.eq(true))
            .filter(events::registration_opens_at.le(now))
            .filter(events::registration_closes_at.gt(now));
    }
    if let Some(user) = filter.favourites_of {
        query = query.filter(
            events::id.eq_any(
                favourites::table
                    .filter(favourites::user_id.eq(user))
                    .select(favourites::event_id),
            ),
        );
    }
    match filter.ends {
        Some(Ok(cutoff)) => query = query.filter(events::ends_at.ge(cutoff)),
        Some(Err(cutoff)) => query = query.filter(events::ends_at.lt(cutoff)),
        None => {}
    }
    if let Some(q) = q {
        query = query.filter(events::title.ilike(format!("%{}%", escape_like(q))));
    }
    query
}

fn escape_like(q: &str) -> String {
    q.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// One page of events and the total.
pub fn list(
    conn: &mut PgConnection,
    filter: &EventFilter,
    request: &ListRequest,
) -> QueryResult<(Vec<EventRow>, i64)> {
    let q = request.q.as_deref();
    let total: i64 = filtered(filter, q).count().get_result(conn)?;
    let mut query = filtered(filter, q).select(EventRow::as_select());
    for key in &request.sort {
        query = match (key.field, key.descending) {
            ("starts_at", false) => query.then_order_by(events::starts_at.asc()),
            ("starts_at", true) => query.then_order_by(events::starts_at.desc()),
            ("ends_at", false) => query.then_order_by(events::ends_at.asc()),
            ("ends_at", true) => query.then_order_by(events::ends_at.desc()),
            ("title", false) => query.then_order_by(events::title.asc()),
            ("title", true) => query.then_order_by(events::title.desc()),
            ("created_at", false) => query.then_order_by(events::created_at.asc()),
            _ => query.then_order_by(events::created_at.desc()),
        };
    }
    let rows = query
        .then_order_by(events::id.asc())
        .offset(request.offset())
        .limit(request.limit())
        .load(conn)?;
    Ok((rows, total))
}

/// Marks or unmarks a favourite.
pub fn set_favourite(
    conn: &mut PgConnection,
    user: Uuid,
    event: Uuid,
    on: bool,
) -> QueryResult<usize> {
    if on {
        diesel::insert_into(favourites::table)
            .values((favourites::user_id.eq(user), favourites::event_id.eq(event)))
            .on_conflict_do_nothing()
            .execute(conn)
    } else {
        diesel::delete(
            favourites::table
                .filter(favourites::user_id.eq(user))
                .filter(favourites::event_id.eq(event)),
        )
        .execute(conn)
    }
}

/// Marks attendance as taken at `at` (or clears it).
pub fn set_attendance_taken(
    conn: &mut PgConnection,
    id: Uuid,
    at: Option<DateTime<Utc>>,
) -> QueryResult<usize> {
    diesel::update(events::table.find(id))
        .set(events::attendance_taken_at.eq(at))
        .execute(conn)
}

/// Sets (or, with `None`, removes) the event's image and the display URL
/// derived from it.
pub fn set_image(
    conn: &mut PgConnection,
    id: Uuid,
    image: Option<serde_json::Value>,
    display_url: &str,
) -> QueryResult<usize> {
    diesel::update(events::table.find(id))
        .set((
            events::image.eq(image),
            events::image_url.eq(display_url),
            events::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
}

/// The image records of every event that has one (for the media sweep).
pub fn images(conn: &mut PgConnection) -> QueryResult<Vec<serde_json::Value>> {
    events::table
        .filter(events::image.is_not_null())
        .select(events::image.assume_not_null())
        .load(conn)
}
