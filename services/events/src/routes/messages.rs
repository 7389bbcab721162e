//! Organizers write to the people registered for their event: the
//! participants, the waiting list or both. notify delivers one notification
//! each (`events.event.message`), only to people on the event by their own
//! choice, at most 10 messages per event in 24 hours (`domain::privacy`).

use actix_web::{post, web, HttpResponse};
use common::{ApiError, Infra, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::EventWriter;
use crate::domain::actions::{self, send_message::Message};
use crate::state::EventsState;

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
    state: web::Data<EventsState>,
    EventWriter { caller, event }: EventWriter,
    _id: web::Path<Uuid>,
    body: Json<NewMessage>,
) -> Result<HttpResponse, ApiError> {
    let message = body.into_inner();
    let message = Message {
        subject: message.subject,
        body: message.body,
        audience: message.audience,
    };
    let now = state.settings.clock.now();
    let recipients =
        actions::send_message::send_message(&infra, &caller, event, message, now).await?;
    Ok(HttpResponse::Accepted().json(MessageSent { recipients }))
}
