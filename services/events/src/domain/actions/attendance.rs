//! Attendance: organizers check in (or undo) a confirmed registration, by
//! user or by the secret code behind the owner's QR code, and may mark that
//! they took attendance even when nobody came (the wind-up after the event
//! gives `no_show` strikes only when attendance was taken).

use chrono::{DateTime, Utc};
use common::{db, ApiError, Infra};
use diesel::PgConnection;
use uuid::Uuid;

use crate::db::models::RegistrationRow;
use crate::db::{events, members, registrations};
use crate::domain::refusal::Refusal;
use crate::views::{self, RegistrationView};

/// Who is checked in.
#[derive(Debug, Clone)]
pub enum Attendee {
    User(Uuid),
    /// The `check_in_code` an organizer's phone read from the owner's QR code.
    Code(String),
}

/// Checks `who` in at `event_id` (`attended`), or undoes it; 404 when no
/// such registration.
pub async fn mark(
    infra: &Infra,
    event_id: Uuid,
    who: Attendee,
    attended: bool,
    now: DateTime<Utc>,
) -> Result<RegistrationView, ApiError> {
    db::run(&infra.pool, move |conn| {
        let registration = match &who {
            Attendee::User(user_id) => registrations::find(conn, event_id, *user_id)?
                .ok_or_else(|| ApiError::not_found("that user is not registered"))?,
            Attendee::Code(code) => registrations::by_check_in_code(conn, event_id, code.trim())?
                .ok_or_else(|| {
                ApiError::not_found("no registration of this event has that code")
            })?,
        };
        set(conn, registration, attended, now)
    })
    .await
}

fn set(
    conn: &mut PgConnection,
    registration: RegistrationRow,
    attended: bool,
    now: DateTime<Utc>,
) -> Result<RegistrationView, ApiError> {
    if !registration.is_confirmed() {
        return Err(Refusal::Waitlisted.into());
    }
    let refusal = if attended {
        Refusal::AlreadyCheckedIn
    } else {
        Refusal::NotCheckedIn
    };
    if attended == registration.attended_at.is_some() {
        return Err(refusal.into());
    }
    // Two scans of one code at once: the update's condition lets one through.
    let updated = registrations::set_attended(conn, registration.id, attended.then_some(now))?
        .ok_or(refusal)?;
    let name = members::username(conn, updated.user_id)?;
    Ok(views::registration(conn, updated, name)?)
}

/// Marks that the organizers took attendance at `event_id` (or not).
pub async fn taken(
    infra: &Infra,
    event_id: Uuid,
    taken: bool,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    db::run(&infra.pool, move |conn| {
        Ok(events::set_attendance_taken(
            conn,
            event_id,
            taken.then_some(now),
        )?)
    })
    .await
    .map(|_| ())
}
