//! What each event means for whom: the notifications an event asks for.
//! Events arrive parsed into their contracts; one file per producer.

mod auth;
mod events;
mod social;

use contracts::{Contract, Event};
use uuid::Uuid;

use super::templates::MailContext;

/// The event types the notify consumer binds.
pub const EVENTS: &[&str] = &[
    contracts::auth::UserRegistered::TYPE,
    contracts::auth::UserUpdated::TYPE,
    contracts::auth::PasswordResetRequested::TYPE,
    contracts::auth::EmailChangeRequested::TYPE,
    contracts::auth::MembershipChanged::TYPE,
    contracts::social::UserFollowed::TYPE,
    contracts::events::RegistrationConfirmed::TYPE,
    contracts::events::RegistrationWaitlisted::TYPE,
    contracts::events::RegistrationPromoted::TYPE,
    contracts::events::RegistrationOffered::TYPE,
    contracts::events::RegistrationInvited::TYPE,
    contracts::events::RegistrationDemoted::TYPE,
    contracts::events::RegistrationUnregistered::TYPE,
    contracts::events::StrikeGiven::TYPE,
    contracts::events::EventChanged::TYPE,
    contracts::events::EventMessageSent::TYPE,
    contracts::events::EventReminder::TYPE,
    contracts::events::RegistrationOpened::TYPE,
    contracts::events::AttendanceNotTaken::TYPE,
    contracts::events::EvaluationRequested::TYPE,
];

/// A notification an event asks for.
#[derive(Debug, Clone)]
pub struct Planned {
    pub user_id: Uuid,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    /// What the stored notification keeps of the event (its payload, less secrets).
    pub data: serde_json::Value,
    /// Where to mail it when the event itself names the address (sign-up,
    /// password reset); otherwise the recipient's address on file.
    pub email_to: Option<String>,
}

/// The notifications `event` asks for (none for events that only update the
/// copy of users). `data` is the event's payload as it arrived.
pub fn plan(ctx: &MailContext, event: &Event, data: &serde_json::Value) -> Vec<Planned> {
    match event {
        Event::Auth(event) => auth::plan(ctx, event, data),
        Event::Social(event) => social::plan(ctx, event, data),
        Event::Events(event) => events::plan(ctx, event, data),
    }
}

#[cfg(test)]
mod tests;
