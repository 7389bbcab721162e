//! Organizers write to the people registered for their event: the
//! participants, the waiting list or both. notify delivers one notification
//! each (`events.event.message`), only to people on the event by their own
//! choice, at most 10 messages per event in 24 hours (`domain::privacy`).

use chrono::{DateTime, Utc};
use common::{ApiError, AuthUser, Infra, Validator};
use contracts::events::{EventMessage, EventMessageSent};
use uuid::Uuid;

use crate::db::models::{EventRow, CONFIRMED, WAITLISTED};
use crate::db::{messages, registrations};
use crate::domain::refusal::Refusal;
use crate::domain::validate::{text, MAX_SHORT, MAX_TEXT};
use crate::domain::{engine, privacy};

/// Who a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Participants,
    WaitingList,
    Both,
}

impl Audience {
    /// `confirmed`, `waiting` or `all`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "confirmed" => Some(Self::Participants),
            "waiting" => Some(Self::WaitingList),
            "all" => Some(Self::Both),
            _ => None,
        }
    }

    fn statuses(self) -> &'static [&'static str] {
        match self {
            Self::Participants => &[CONFIRMED],
            Self::WaitingList => &[WAITLISTED],
            Self::Both => &[CONFIRMED, WAITLISTED],
        }
    }
}

/// A message as its sender wrote it.
#[derive(Debug, Clone)]
pub struct Message {
    pub subject: String,
    pub body: String,
    /// The audience's name, checked here (422 naming the field).
    pub audience: String,
}

/// `sender` writes `message` to the audience at `event`; answers how many
/// people it goes to.
pub async fn send_message(
    infra: &Infra,
    sender: &AuthUser,
    event: EventRow,
    message: Message,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let mut v = Validator::new();
    text(&mut v, "subject", &message.subject, MAX_SHORT);
    text(&mut v, "body", &message.body, MAX_TEXT);
    v.check(
        !message.subject.trim().is_empty(),
        "subject",
        "must not be empty",
    )
    .check(!message.body.trim().is_empty(), "body", "must not be empty");
    let audience = Audience::parse(&message.audience);
    v.check(
        audience.is_some(),
        "audience",
        "must be confirmed, waiting or all",
    );
    v.finish()?;
    let statuses = audience.map_or(&[][..], Audience::statuses);
    let (sender_id, sender_username) = (sender.id, sender.username.clone());
    infra
        .transaction(move |conn| {
            // Under the event's lock, so that two at once count each other.
            engine::lock(conn, event.id)?;
            let (sent, oldest) =
                messages::sent_since(conn, event.id, now - privacy::MESSAGE_WINDOW)?;
            privacy::may_send_message(sent, oldest, now)?;
            // Only people on the event by their own choice are written to.
            let recipient_ids: Vec<Uuid> = registrations::of_event(conn, event.id)?
                .into_iter()
                .filter(|r| statuses.contains(&r.status.as_str()) && r.by_own_choice())
                .map(|r| r.user_id)
                .collect();
            if recipient_ids.is_empty() {
                return Err(Refusal::NobodyInAudience.into());
            }
            let recipients = recipient_ids.len();
            messages::record(conn, event.id, sender_id, recipients as i32, now)?;
            common::outbox::publish(
                conn,
                &EventMessageSent(EventMessage {
                    event_id: event.id,
                    event_title: event.title,
                    sender_username,
                    subject: message.subject.trim().to_owned(),
                    body: message.body,
                    recipient_ids,
                }),
            )?;
            Ok(recipients)
        })
        .await
}
