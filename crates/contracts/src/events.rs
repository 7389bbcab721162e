//! Events the events service publishes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::contract;

/// A registration's change, with what a notification about it needs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Registration {
    pub registration_id: Uuid,
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: Option<DateTime<Utc>>,
    /// Whose registration.
    pub user_id: Uuid,
    /// Place on the waiting list (`waitlisted`).
    pub position: Option<i64>,
    /// Why it ended (`unregistered`).
    pub reason: Option<String>,
}

contract!(
    /// A registration got a place.
    RegistrationConfirmed,
    "events.registration.confirmed",
    1,
    Registration
);

contract!(
    /// A registration went onto the waiting list.
    RegistrationWaitlisted,
    "events.registration.waitlisted",
    1,
    Registration
);

contract!(
    /// A registration moved from the waiting list to a place.
    RegistrationPromoted,
    "events.registration.promoted",
    1,
    Registration
);

contract!(
    /// A registration ended.
    RegistrationUnregistered,
    "events.registration.unregistered",
    1,
    Registration
);

/// A strike given to a user.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Strike {
    pub strike_id: Uuid,
    /// Who got it.
    pub user_id: Uuid,
    /// The event it is for.
    pub event_id: Option<Uuid>,
    pub event_title: Option<String>,
    /// e.g. `no-show`, `late unregistration`.
    pub reason: String,
    /// The user's active strikes including this one.
    pub active_strikes: i64,
}

contract!(
    /// A user was given a strike.
    StrikeGiven,
    "events.strike.given",
    1,
    Strike
);

/// Organisers' message to the people registered for an event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventMessage {
    pub event_id: Uuid,
    pub event_title: String,
    pub sender_username: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// One notification each.
    pub recipient_ids: Vec<Uuid>,
}

contract!(
    /// Organisers wrote to the people registered for an event.
    EventMessageSent,
    "events.event.message",
    1,
    EventMessage
);
