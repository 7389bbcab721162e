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
    pub event_starts_at: DateTime<Utc>,
    /// May be empty.
    pub event_location: String,
    /// Until when a participant may leave without a strike.
    pub sign_off_deadline: Option<DateTime<Utc>>,
    /// Whose registration.
    pub user_id: Uuid,
    /// `confirmed` or `waitlisted` after the change; `none` once it ended.
    pub status: String,
    /// Place on the waiting list (1-based) when waitlisted.
    pub position: Option<i64>,
    /// Why it is where it is, in words (`waiting list: event full`, `moved to
    /// the waiting list: a prioritized member took the place`, ...).
    pub reason: String,
    /// Why it changed, as a code: for `demoted` `priority_swap`,
    /// `capacity_lowered` or `moved_by_organizer`; for `unregistered` `self`,
    /// `organizer` or `account_deactivated`; empty otherwise.
    pub cause: String,
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
    /// A participant lost their place and moved to the waiting list.
    RegistrationDemoted,
    "events.registration.demoted",
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

/// A place offered to a waiter, who has until `offer_expires_at` to accept.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Offer {
    #[serde(flatten)]
    pub registration: Registration,
    /// min(when offered + the event's `offer_hours`, start - 1 h).
    pub offer_expires_at: DateTime<Utc>,
}

contract!(
    /// Close to the start, a freed place was offered to the first waiter.
    RegistrationOffered,
    "events.registration.offered",
    1,
    Offer
);

/// An organizer's invitation to an event. It holds no place: the person
/// accepts it (and is registered by the ordinary rules) or declines it, and it
/// expires at `expires_at`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Invitation {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: DateTime<Utc>,
    /// May be empty.
    pub event_location: String,
    /// Who is invited.
    pub user_id: Uuid,
    /// The username of the organizer who invited them.
    pub invited_by: String,
    /// When registration closes: the invitation ends then.
    pub expires_at: DateTime<Utc>,
}

contract!(
    /// An organizer invited someone to an event.
    RegistrationInvited,
    "events.registration.invited",
    1,
    Invitation
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
    /// `past_deadline`, `no_show`, `late`, `bad_behaviour` or `eval_form`.
    pub kind: String,
    pub points: i32,
    /// In the manager's words; may be empty.
    pub description: String,
    /// The user's active points including this strike's.
    pub active_points: i64,
    /// When this strike stops counting (20 days, longer across freezes).
    pub expires_at: DateTime<Utc>,
}

contract!(
    /// A user was given a strike.
    StrikeGiven,
    "events.strike.given",
    1,
    Strike
);

/// An event's time or place changed, or it was cancelled.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventChange {
    pub event_id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: String,
    /// What changed: any of `time`, `place`, `cancelled`.
    pub changes: Vec<String>,
    /// Everyone registered (participants and waiting list): one notification each.
    pub recipient_ids: Vec<Uuid>,
}

contract!(
    /// An event moved in time or place, or was cancelled.
    EventChanged,
    "events.event.changed",
    1,
    EventChange
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

/// A reminder before an event's sign-off deadline, to one audience.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Reminder {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: DateTime<Utc>,
    pub event_location: String,
    pub sign_off_deadline: DateTime<Utc>,
    /// `participants` (their place is kept unless they leave before the
    /// deadline) or `waiting_list` (if promoted they must attend).
    pub audience: String,
    /// Whether leaving late or not coming gives a strike at this event.
    pub can_cause_strikes: bool,
    /// One notification each.
    pub recipient_ids: Vec<Uuid>,
}

contract!(
    /// An event's sign-off deadline is today or tomorrow (sent at 12:00 local time).
    EventReminder,
    "events.event.reminder",
    1,
    Reminder
);

/// Registration opened for an event people marked as a favourite.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Opening {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: DateTime<Utc>,
    pub event_location: String,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    /// Those who marked the event as a favourite: one notification each.
    pub recipient_ids: Vec<Uuid>,
}

contract!(
    /// Registration opened (sent again when the opening is moved later).
    RegistrationOpened,
    "events.registration.opened",
    1,
    Opening
);

/// The day after an event that can cause strikes, its organizers had not
/// taken attendance, so no `no_show` strikes were given.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AttendanceMissing {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_ends_at: DateTime<Utc>,
    /// Confirmed participants, none checked in.
    pub participants: i64,
    /// Why no strikes were given, in words.
    pub reason: String,
    /// The organizers: one notification each.
    pub recipient_ids: Vec<Uuid>,
}

contract!(
    /// No strikes were given after an event because attendance was not taken.
    AttendanceNotTaken,
    "events.attendance.not_taken",
    1,
    AttendanceMissing
);

/// An event's attendees are asked to answer its evaluation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Evaluation {
    pub event_id: Uuid,
    pub event_title: String,
    pub form_id: Uuid,
    pub form_title: String,
    /// The attendees: one notification each.
    pub recipient_ids: Vec<Uuid>,
}

contract!(
    /// The day after an event with an evaluation form, its attendees are asked to answer it.
    EvaluationRequested,
    "events.evaluation.requested",
    1,
    Evaluation
);
