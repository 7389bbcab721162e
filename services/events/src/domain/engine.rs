//! The registration engine: every change of places at an event. Each public
//! function runs inside the caller's transaction, after [`lock`] took the
//! event's row lock, and writes its outbox events in that transaction, so no
//! interleaving of requests (or instances) can overbook or skip a waiter.
//!
//! Invariants after every transition: never more participants (offered
//! places included) than the capacity (0 = unlimited), and never a free place
//! that is neither taken nor offered while someone waits.

use chrono::{DateTime, Duration, Utc};
use common::ApiError;
use diesel::prelude::*;
use uuid::Uuid;

use super::publish::{self, Change};
use super::refusal::Refusal;
use crate::db::models::{EventRow, RegistrationRow, CONFIRMED, OFFERED, WAITLISTED};
use crate::db::{events, forms, registrations};

/// The event, locked until the transaction ends; 404 if there is none.
pub fn lock(conn: &mut PgConnection, event_id: Uuid) -> Result<EventRow, ApiError> {
    events::lock(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))
}

pub const FREE_PLACE: &str = "confirmed: there was a free place";
pub const SWAPPED_IN: &str =
    "confirmed: a prioritized member takes the place of the latest non-prioritized participant";
pub const ADDED: &str = "added by an organizer";
pub const FULL: &str = "waiting list: event full";
pub const FULL_OF_PRIORITIZED: &str = "waiting list: event full of prioritized participants";
pub const SWAPPED_OUT: &str = "moved to the waiting list: a prioritized member took the place";
pub const CAPACITY_LOWERED: &str = "moved to the waiting list: capacity lowered";
pub const MOVED_DOWN: &str = "moved to the waiting list by an organizer";
pub const PROMOTED: &str = "promoted from the waiting list: a place opened";
pub const MOVED_UP: &str = "given a place by an organizer";
pub const OFFERED_PLACE: &str = "offered a freed place: accept it before the offer expires";
pub const ACCEPTED: &str = "confirmed: accepted an offered place";

/// An offer always ends this long before the start.
pub const OFFERS_END_BEFORE_START: Duration = Duration::hours(1);

/// When an offer made at `now` expires, if a freed place is offered rather
/// than given: `offer_hours` is set, the start is within it, and there is
/// still time to answer (until min(now + offer_hours, start - 1 h)).
pub fn offer_expiry(event: &EventRow, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let hours = Duration::hours(i64::from(event.offer_hours?));
    let last = event.starts_at - OFFERS_END_BEFORE_START;
    (now >= event.starts_at - hours && now < last).then(|| (now + hours).min(last))
}

/// Registers `user_id`: a free place, else (prioritized, at an event with
/// pools) the place of the latest non-prioritized participant, else the
/// waiting list. 409 if already registered.
pub fn register(
    conn: &mut PgConnection,
    event: &mut EventRow,
    user_id: Uuid,
    prioritized: bool,
    added_by_organizer: bool,
) -> Result<RegistrationRow, ApiError> {
    let has_place = event.free_places().is_none_or(|free| free > 0);
    let displaced = if !has_place && prioritized && !event.pools().is_empty() {
        registrations::latest_unprioritized_participant(conn, event.id)?
    } else {
        None
    };
    let (status, reason) = match (has_place, &displaced) {
        (true, _) if added_by_organizer => (CONFIRMED, ADDED),
        (true, _) => (CONFIRMED, FREE_PLACE),
        (false, Some(_)) if added_by_organizer => (CONFIRMED, ADDED),
        (false, Some(_)) => (CONFIRMED, SWAPPED_IN),
        (false, None) if prioritized && !event.pools().is_empty() => {
            (WAITLISTED, FULL_OF_PRIORITIZED)
        }
        (false, None) => (WAITLISTED, FULL),
    };
    let registration = registrations::insert(
        conn,
        event.id,
        user_id,
        status,
        prioritized,
        added_by_organizer,
        reason,
    )?
    .ok_or(Refusal::AlreadyRegistered)?;
    if let Some(displaced) = displaced {
        let moved = registrations::set_status(conn, &[displaced.id], WAITLISTED, SWAPPED_OUT)?;
        event.confirmed_count -= 1;
        event.waiting_count += 1;
        for row in &moved {
            publish::registration(conn, event, row, Change::Demoted(publish::PRIORITY_SWAP))?;
        }
    }
    if registration.is_confirmed() {
        event.confirmed_count += 1;
        publish::registration(conn, event, &registration, Change::Confirmed)?;
    } else {
        event.waiting_count += 1;
        publish::registration(conn, event, &registration, Change::Waitlisted)?;
    }
    events::save_counts(conn, event)?;
    Ok(registration)
}

/// Ends `registration` (`cause`: self, organizer, account deactivated) and
/// gives a freed place to the first waiter.
pub fn unregister(
    conn: &mut PgConnection,
    event: &mut EventRow,
    registration: &RegistrationRow,
    cause: &'static str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    registrations::delete(conn, registration.id)?;
    // A survey is answered to register: leaving takes the answer with it.
    forms::delete_survey_answer(conn, event.id, registration.user_id)?;
    if registration.holds_place() {
        event.confirmed_count -= 1;
    } else {
        event.waiting_count -= 1;
    }
    publish::registration(conn, event, registration, Change::Unregistered(cause))?;
    fill_free_places(conn, event, None, now)?;
    events::save_counts(conn, event)
}

/// The waiter accepts the place offered to them (409 when it is not offered
/// or the offer has expired).
pub fn accept_offer(
    conn: &mut PgConnection,
    event: &mut EventRow,
    registration: &RegistrationRow,
    now: DateTime<Utc>,
) -> Result<RegistrationRow, ApiError> {
    still_offered(registration, now)?;
    let accepted = registrations::set_status(conn, &[registration.id], CONFIRMED, ACCEPTED)?;
    for row in &accepted {
        publish::registration(conn, event, row, Change::Confirmed)?;
    }
    accepted
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::not_found("no such registration"))
}

/// The waiter declines the place offered to them: their registration ends
/// and the place is offered to the next waiter.
pub fn decline_offer(
    conn: &mut PgConnection,
    event: &mut EventRow,
    registration: &RegistrationRow,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    still_offered(registration, now)?;
    unregister(conn, event, registration, publish::DECLINED_OFFER, now)
}

fn still_offered(registration: &RegistrationRow, now: DateTime<Utc>) -> Result<(), Refusal> {
    match registration.offer_expires_at {
        Some(expires) if registration.status == OFFERED && now < expires => Ok(()),
        Some(expires) if registration.status == OFFERED => Err(Refusal::OfferExpired {
            expired_at: expires,
        }),
        _ => Err(Refusal::NotOffered),
    }
}

/// Sets the capacity: raising it (or 0, unlimited) promotes (or offers to)
/// waiters in order; lowering it takes back places only offered first, then
/// demotes the most recently registered non-prioritized participants, then
/// the most recently registered prioritized.
pub fn set_capacity(
    conn: &mut PgConnection,
    event: &mut EventRow,
    capacity: i32,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    event.capacity = capacity;
    events::save_capacity(conn, event.id, capacity)?;
    let excess = if capacity > 0 {
        i64::from(event.confirmed_count - capacity)
    } else {
        0
    };
    if excess > 0 {
        let losing: Vec<Uuid> = registrations::demotion_order(conn, event.id, excess)?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let moved = registrations::set_status(conn, &losing, WAITLISTED, CAPACITY_LOWERED)?;
        event.confirmed_count -= moved.len() as i32;
        event.waiting_count += moved.len() as i32;
        for row in &moved {
            publish::registration(conn, event, row, Change::Demoted(publish::CAPACITY_LOWERED))?;
        }
    }
    fill_free_places(conn, event, None, now)?;
    events::save_counts(conn, event)
}

/// An organizer gives a waiting registration a free place (409 when none is free).
pub fn move_to_place(
    conn: &mut PgConnection,
    event: &mut EventRow,
    registration: &RegistrationRow,
) -> Result<RegistrationRow, ApiError> {
    if registration.is_confirmed() {
        return Ok(registration.clone());
    }
    let holds_place = registration.holds_place();
    if !holds_place && event.free_places().is_some_and(|free| free == 0) {
        return Err(Refusal::NoFreePlace.into());
    }
    let moved = registrations::set_status(conn, &[registration.id], CONFIRMED, MOVED_UP)?;
    if !holds_place {
        event.confirmed_count += 1;
        event.waiting_count -= 1;
    }
    for row in &moved {
        publish::registration(conn, event, row, Change::Promoted)?;
    }
    events::save_counts(conn, event)?;
    moved
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::not_found("no such registration"))
}

/// An organizer moves a participant to the waiting list; the first other
/// waiter takes the place (409 when nobody else waits, as the place would
/// stay free while they wait).
pub fn move_to_waiting(
    conn: &mut PgConnection,
    event: &mut EventRow,
    registration: &RegistrationRow,
    now: DateTime<Utc>,
) -> Result<RegistrationRow, ApiError> {
    if !registration.holds_place() {
        return Ok(registration.clone());
    }
    if registrations::first_waiting(conn, event.id, Some(1), None)?.is_empty() {
        return Err(Refusal::NobodyWaiting.into());
    }
    let moved = registrations::set_status(conn, &[registration.id], WAITLISTED, MOVED_DOWN)?;
    event.confirmed_count -= 1;
    event.waiting_count += 1;
    fill_free_places(conn, event, Some(registration.id), now)?;
    for row in &moved {
        publish::registration(
            conn,
            event,
            row,
            Change::Demoted(publish::MOVED_BY_ORGANIZER),
        )?;
    }
    events::save_counts(conn, event)?;
    let now = registrations::find(conn, event.id, registration.user_id)?;
    now.ok_or_else(|| ApiError::not_found("no such registration"))
}

/// Gives every free place to the first waiters in order (all of them when
/// the capacity is unlimited), skipping `except`; close to the start of an
/// event with `offer_hours`, offers the places instead (see [`offer_expiry`]).
fn fill_free_places(
    conn: &mut PgConnection,
    event: &mut EventRow,
    except: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let free = event.free_places().map(i64::from);
    if free == Some(0) || event.waiting_count == 0 {
        return Ok(());
    }
    let promoted: Vec<Uuid> = registrations::first_waiting(conn, event.id, free, except)?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if promoted.is_empty() {
        return Ok(());
    }
    let offer = offer_expiry(event, now);
    let mut moved = match offer {
        Some(expires) => registrations::offer(conn, &promoted, expires, OFFERED_PLACE)?,
        None => registrations::set_status(conn, &promoted, CONFIRMED, PROMOTED)?,
    };
    moved.sort_by_key(|r| (!r.prioritized, r.registered_at, r.id));
    event.confirmed_count += moved.len() as i32;
    event.waiting_count -= moved.len() as i32;
    let change = if offer.is_some() {
        Change::Offered
    } else {
        Change::Promoted
    };
    for row in &moved {
        publish::registration(conn, event, row, change)?;
    }
    Ok(())
}
