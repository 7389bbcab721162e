//! The events the engine publishes, built from the rows it changed
//! (payloads: `contracts::events`, catalogue: docs/events.md).

use common::ApiError;
use contracts::events::{
    Offer, Registration, RegistrationConfirmed, RegistrationDemoted, RegistrationOffered,
    RegistrationPromoted, RegistrationUnregistered, RegistrationWaitlisted,
};
use diesel::PgConnection;

use crate::db::models::{EventRow, RegistrationRow};
use crate::db::registrations;

/// What happened to a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Confirmed,
    Waitlisted,
    Promoted,
    /// Offered a freed place, until its `offer_expires_at`.
    Offered,
    Demoted(&'static str),
    Unregistered(&'static str),
}

/// Demotion causes.
pub const PRIORITY_SWAP: &str = "priority_swap";
pub const CAPACITY_LOWERED: &str = "capacity_lowered";
pub const MOVED_BY_ORGANIZER: &str = "moved_by_organizer";
/// Unregistration causes.
pub const BY_SELF: &str = "self";
pub const BY_ORGANIZER: &str = "organizer";
pub const ACCOUNT_DEACTIVATED: &str = "account_deactivated";
pub const DECLINED_OFFER: &str = "declined_offer";
pub const OFFER_EXPIRED: &str = "offer_expired";

/// Writes the event for `change` of `registration` (as it is now) to the outbox.
pub fn registration(
    conn: &mut PgConnection,
    event: &EventRow,
    registration: &RegistrationRow,
    change: Change,
) -> Result<(), ApiError> {
    let ended = matches!(change, Change::Unregistered(_));
    let position = if ended {
        None
    } else {
        registrations::position_of(conn, registration)?
    };
    let payload = Registration {
        registration_id: registration.id,
        event_id: event.id,
        event_title: event.title.clone(),
        event_starts_at: event.starts_at,
        event_location: event.location.clone(),
        sign_off_deadline: event.sign_off_deadline,
        user_id: registration.user_id,
        status: if ended {
            "none".to_owned()
        } else {
            registration.status.clone()
        },
        position,
        reason: registration.reason.clone(),
        cause: match change {
            Change::Demoted(cause) | Change::Unregistered(cause) => cause.to_owned(),
            _ => String::new(),
        },
    };
    match change {
        Change::Confirmed => common::outbox::publish(conn, &RegistrationConfirmed(payload)),
        Change::Waitlisted => common::outbox::publish(conn, &RegistrationWaitlisted(payload)),
        Change::Promoted => common::outbox::publish(conn, &RegistrationPromoted(payload)),
        Change::Offered => common::outbox::publish(
            conn,
            &RegistrationOffered(Offer {
                offer_expires_at: registration.offer_expires_at.unwrap_or(event.starts_at),
                registration: payload,
            }),
        ),
        Change::Demoted(_) => common::outbox::publish(conn, &RegistrationDemoted(payload)),
        Change::Unregistered(_) => {
            common::outbox::publish(conn, &RegistrationUnregistered(payload))
        }
    }
    .map(|_| ())
}

/// Publishes `events.event.changed` to everyone registered when the time or
/// place changed.
pub fn event_changed(
    conn: &mut PgConnection,
    before: &EventRow,
    after: &EventRow,
) -> Result<(), ApiError> {
    let mut changes = Vec::new();
    if before.starts_at != after.starts_at || before.ends_at != after.ends_at {
        changes.push("time".to_owned());
    }
    if before.location != after.location {
        changes.push("place".to_owned());
    }
    event_change(conn, after, changes)
}

/// Publishes `events.event.changed` (`cancelled`) to everyone registered.
pub fn event_cancelled(conn: &mut PgConnection, event: &EventRow) -> Result<(), ApiError> {
    event_change(conn, event, vec!["cancelled".to_owned()])
}

fn event_change(
    conn: &mut PgConnection,
    event: &EventRow,
    changes: Vec<String>,
) -> Result<(), ApiError> {
    if changes.is_empty() {
        return Ok(());
    }
    let recipient_ids = registrations::user_ids(conn, event.id)?;
    if recipient_ids.is_empty() {
        return Ok(());
    }
    common::outbox::publish(
        conn,
        &contracts::events::EventChanged(contracts::events::EventChange {
            event_id: event.id,
            title: event.title.clone(),
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            location: event.location.clone(),
            changes,
            recipient_ids,
        }),
    )
    .map(|_| ())
}
