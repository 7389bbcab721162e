//! Registration queries. Those that change places run inside the engine's
//! transaction, under the event's row lock (`domain::engine`).

use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

use super::models::{RegistrationRow, CONFIRMED, OFFERED, WAITLISTED};
use super::schema::registrations;

/// A new registration, unless the user already has one (`None`).
pub fn insert(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
    status: &str,
    prioritized: bool,
    added_by_organizer: bool,
    reason: &str,
) -> QueryResult<Option<RegistrationRow>> {
    diesel::insert_into(registrations::table)
        .values((
            registrations::event_id.eq(event_id),
            registrations::user_id.eq(user_id),
            registrations::status.eq(status),
            registrations::prioritized.eq(prioritized),
            registrations::added_by_organizer.eq(added_by_organizer),
            registrations::reason.eq(reason),
        ))
        .on_conflict_do_nothing()
        .returning(RegistrationRow::as_returning())
        .get_result(conn)
        .optional()
}

pub fn by_id(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .find(id)
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()
}

pub fn find(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::user_id.eq(user_id))
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()
}

/// The registration of an event with a check-in code (compared by the
/// database's index lookup: the code is a random 128-bit secret, so timing
/// tells an attacker nothing useful).
pub fn by_check_in_code(
    conn: &mut PgConnection,
    event_id: Uuid,
    code: &str,
) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::check_in_code.eq(code))
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()
}

/// The participant a prioritized newcomer displaces: the most recently
/// registered non-prioritized one.
pub fn latest_unprioritized_participant(
    conn: &mut PgConnection,
    event_id: Uuid,
) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.eq(CONFIRMED))
        .filter(registrations::prioritized.eq(false))
        .order((
            registrations::registered_at.desc(),
            registrations::id.desc(),
        ))
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()
}

/// The `n` participants who lose their places when capacity is lowered:
/// places only offered first, then the most recently registered
/// non-prioritized, then prioritized.
pub fn demotion_order(
    conn: &mut PgConnection,
    event_id: Uuid,
    n: i64,
) -> QueryResult<Vec<RegistrationRow>> {
    registrations::table
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.eq_any([OFFERED, CONFIRMED]))
        .order((
            // Places still only offered go first.
            registrations::offer_expires_at.desc().nulls_last(),
            registrations::prioritized.asc(),
            registrations::registered_at.desc(),
            registrations::id.desc(),
        ))
        .limit(n)
        .select(RegistrationRow::as_select())
        .load(conn)
}

/// The first `n` (all with `None`) of the waiting list in order: prioritized
/// by registration time, then the rest by registration time.
pub fn first_waiting(
    conn: &mut PgConnection,
    event_id: Uuid,
    n: Option<i64>,
    except: Option<Uuid>,
) -> QueryResult<Vec<RegistrationRow>> {
    let mut query = registrations::table
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.eq(WAITLISTED))
        .order((
            registrations::waiting_rank.asc(),
            registrations::registered_at.asc(),
            registrations::id.asc(),
        ))
        .select(RegistrationRow::as_select())
        .into_boxed();
    if let Some(except) = except {
        query = query.filter(registrations::id.ne(except));
    }
    if let Some(n) = n {
        query = query.limit(n);
    }
    query.load(conn)
}

/// Moves registrations to `status` (`confirmed` or `waitlisted`: any offer
/// ends), saying why.
pub fn set_status(
    conn: &mut PgConnection,
    ids: &[Uuid],
    status: &str,
    reason: &str,
) -> QueryResult<Vec<RegistrationRow>> {
    diesel::update(registrations::table.filter(registrations::id.eq_any(ids)))
        .set((
            registrations::status.eq(status),
            registrations::reason.eq(reason),
            registrations::offer_expires_at.eq(None::<DateTime<Utc>>),
            registrations::updated_at.eq(diesel::dsl::now),
        ))
        .returning(RegistrationRow::as_returning())
        .get_results(conn)
}

/// Offers waiting registrations a place until `expires`.
pub fn offer(
    conn: &mut PgConnection,
    ids: &[Uuid],
    expires: DateTime<Utc>,
    reason: &str,
) -> QueryResult<Vec<RegistrationRow>> {
    diesel::update(registrations::table.filter(registrations::id.eq_any(ids)))
        .set((
            registrations::status.eq(OFFERED),
            registrations::reason.eq(reason),
            registrations::offer_expires_at.eq(Some(expires)),
            registrations::updated_at.eq(diesel::dsl::now),
        ))
        .returning(RegistrationRow::as_returning())
        .get_results(conn)
}

/// Offers that expired at or before `now`: event and registration ids, by
/// expiry.
pub fn expired_offers(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    registrations::table
        .filter(registrations::status.eq(OFFERED))
        .filter(registrations::offer_expires_at.le(now))
        .order(registrations::offer_expires_at.asc())
        .select((registrations::event_id, registrations::id))
        .load(conn)
}

pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(registrations::table.find(id)).execute(conn)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A waiting registration's 1-based place in the waiting-list order: one
/// count over the index that holds that order.
pub fn position(conn: &mut PgConnection, registration: &RegistrationRow) -> QueryResult<i64> {
    diesel::sql_query(
        "SELECT count(*) AS n FROM registrations \
         WHERE event_id = $1 AND status = 'waitlisted' \
           AND (waiting_rank, registered_at, id) < (CASE WHEN $2 THEN 0 ELSE 1 END, $3, $4)",
    )
    .bind::<SqlUuid, _>(registration.event_id)
    .bind::<Bool, _>(registration.prioritized)
    .bind::<Timestamptz, _>(registration.registered_at)
    .bind::<SqlUuid, _>(registration.id)
    .get_result::<Count>(conn)
    .map(|c| c.n + 1)
}

/// The place on the waiting list, or `None` for a participant.
pub fn position_of(
    conn: &mut PgConnection,
    registration: &RegistrationRow,
) -> QueryResult<Option<i64>> {
    if registration.status != WAITLISTED {
        return Ok(None);
    }
    position(conn, registration).map(Some)
}

/// How many registrations of each status an event has (checks of the counters).
pub fn counts(conn: &mut PgConnection, event_id: Uuid) -> QueryResult<(i64, i64)> {
    let rows: Vec<(String, i64)> = registrations::table
        .filter(registrations::event_id.eq(event_id))
        .group_by(registrations::status)
        .select((registrations::status, count_star()))
        .load(conn)?;
    let of = |status: &str| {
        rows.iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    };
    Ok((of(CONFIRMED), of(WAITLISTED)))
}

/// Marks (`at` set) or clears attendance of a confirmed registration, only
/// if it is not already so: `None` when a concurrent request got there first
/// (or the place was lost meanwhile).
pub fn set_attended(
    conn: &mut PgConnection,
    id: Uuid,
    at: Option<DateTime<Utc>>,
) -> QueryResult<Option<RegistrationRow>> {
    let target = registrations::table
        .find(id)
        .filter(registrations::status.eq(CONFIRMED))
        .filter(registrations::attended_at.is_null().eq(at.is_some()));
    diesel::update(target)
        .set((
            registrations::attended_at.eq(at),
            registrations::updated_at.eq(diesel::dsl::now),
        ))
        .returning(RegistrationRow::as_returning())
        .get_result(conn)
        .optional()
}

/// Sets the stored priority of registrations.
pub fn set_prioritized(conn: &mut PgConnection, id: Uuid, prioritized: bool) -> QueryResult<usize> {
    diesel::update(registrations::table.find(id))
        .set(registrations::prioritized.eq(prioritized))
        .execute(conn)
}

/// The user's registrations for events that have not started, by event id
/// (the order in which their locks are taken).
pub fn upcoming_of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    use super::schema::events;
    registrations::table
        .inner_join(events::table)
        .filter(registrations::user_id.eq(user_id))
        .filter(events::starts_at.gt(now))
        .order(registrations::event_id.asc())
        .select((registrations::event_id, registrations::id))
        .load(conn)
}

/// Everyone registered for an event (participants and waiting list).
pub fn user_ids(conn: &mut PgConnection, event_id: Uuid) -> QueryResult<Vec<Uuid>> {
    registrations::table
        .filter(registrations::event_id.eq(event_id))
        .order(registrations::registered_at.asc())
        .select(registrations::user_id)
        .load(conn)
}

/// Every registration of an event.
pub fn of_event(conn: &mut PgConnection, event_id: Uuid) -> QueryResult<Vec<RegistrationRow>> {
    registrations::table
        .filter(registrations::event_id.eq(event_id))
        .select(RegistrationRow::as_select())
        .load(conn)
}

/// A page of the user's registrations (with event ids) for events that start
/// after `now` (or, `past`, at or before it), by event start.
pub fn of_user_page(
    conn: &mut PgConnection,
    user_id: Uuid,
    past: bool,
    now: DateTime<Utc>,
    descending: bool,
    request: &common::list::ListRequest,
) -> QueryResult<(Vec<(RegistrationRow, Uuid)>, i64)> {
    use super::schema::events;
    let filtered = || {
        let query = registrations::table
            .inner_join(events::table)
            .filter(registrations::user_id.eq(user_id))
            .into_boxed();
        if past {
            query.filter(events::starts_at.le(now))
        } else {
            query.filter(events::starts_at.gt(now))
        }
    };
    let total = filtered().count().get_result(conn)?;
    let query = filtered().select((RegistrationRow::as_select(), events::id));
    let query = if descending {
        query.order((events::starts_at.desc(), events::id.desc()))
    } else {
        query.order((events::starts_at.asc(), events::id.asc()))
    };
    let rows = query
        .offset(request.offset())
        .limit(request.limit())
        .load(conn)?;
    Ok((rows, total))
}
