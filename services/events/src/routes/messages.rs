//! Organizers write to the people registered for their event: the
//! participants, the waiting list or both. notify delivers one notification
//! each (`events.event.message`), only to people on the event by their own
//! choice, at most 10 messages per event in 24 hours (`domain::privacy`).

use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use common::{ApiError, Infra, Json, Validator};
use contracts::events::{EventMessage, EventMessageSent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::EventWriter;
use crate::db::models::{CONFIRMED, WAITLISTED};
use crate::db::{messages, registrations};
use crate::domain::refusal::Refusal;
use crate::domain::validate::{text, MAX_SHORT, MAX_TEXT};
use crate::domain::{engine, privacy};

/// A message to an event's registered people.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    #[schema(min_length = 1, max_length = 500)]
    pub subject: String,
    /// Plain text.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// `confirmed` (participants), `waiting` (the waiting list) or `all`.
    #[schema(pattern = "^(confirmed|waiting|all)$")]
    pub audience: String,
}

/// How many people the message goes to.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageSent {
    pub recipients: usize,
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])), request_body = NewMessage,
    responses((status = 202, body = MessageSent, description = "on its way: one notification each"),
              (status = 400), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "nobody (on the event by their own choice) is in that audience"),
              (status = 429, description = "the event's organizers sent 10 messages in the last 24 hours; Retry-After says when the next may go"),
              (status = 422, description = "a field is missing, too long or unknown")))]
#[post("/v1/events/{id}/messages")]
pub async fn send_message(
    infra: web::Data<Infra>,
    EventWriter { caller, event }: EventWriter,
    id: web::Path<Uuid>,
    body: Json<NewMessage>,
) -> Result<HttpResponse, ApiError> {
    let event_id = id.into_inner();
    let message = body.into_inner();
    let mut v = Validator::new();
    text(&mut v, "subject", &message.subject, MAX_SHORT);
    text(&mut v, "body", &message.body, MAX_TEXT);
    v.check(
        !message.subject.trim().is_empty(),
        "subject",
        "must not be empty",
    )
    .check(!message.body.trim().is_empty(), "body", "must not be empty");
    let statuses: &'static [&'static str] = match message.audience.as_str() {
        "confirmed" => &[CONFIRMED],
        "waiting" => &[WAITLISTED],
        "all" => &[CONFIRMED, WAITLISTED],
        _ => {
            v.check(false, "audience", "must be confirmed, waiting or all");
            &[]
        }
    };
    v.finish()?;
    let sender_username = caller.username.clone();
    let (sender_id, now) = (caller.id, Utc::now());
    let recipients = infra
        .transaction(move |conn| {
            // Under the event's lock, so that two at once count each other.
            engine::lock(conn, event_id)?;
            let (sent, oldest) =
                messages::sent_since(conn, event_id, now - privacy::MESSAGE_WINDOW)?;
            privacy::may_send_message(sent, oldest, now)?;
            // Only people on the event by their own choice are written to.
            let recipient_ids: Vec<Uuid> = registrations::of_event(conn, event_id)?
                .into_iter()
                .filter(|r| statuses.contains(&r.status.as_str()) && r.by_own_choice())
                .map(|r| r.user_id)
                .collect();
            if recipient_ids.is_empty() {
                return Err(Refusal::NobodyInAudience.into());
            }
            let recipients = recipient_ids.len();
            messages::record(conn, event_id, sender_id, recipients as i32, now)?;
            common::outbox::publish(
                conn,
                &EventMessageSent(EventMessage {
                    event_id,
                    event_title: event.title,
                    sender_username,
                    subject: message.subject.trim().to_owned(),
                    body: message.body,
                    recipient_ids,
                }),
            )?;
            Ok(recipients)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(MessageSent { recipients }))
}
