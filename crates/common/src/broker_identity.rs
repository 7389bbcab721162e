//! Who published a message, as the broker vouches for it.
//!
//! Each service connects to RabbitMQ as its own user, named after the service
//! (`auth`, `social`, `events`, `notify`), and stamps every message with that
//! user in the AMQP `user_id` property, which the broker refuses to let anyone
//! set to another user's name. A consumer trusts an envelope's `producer` only
//! when it is the user the broker vouched for. Topic permissions already keep a
//! service from publishing another's routing keys on the exchange; this check
//! also covers what reaches a queue some other way (the default exchange).
//!
//! A consumer's retry copies are published again under the consumer's own
//! user, so they carry the original sender in [`PRODUCER_HEADER`], which is
//! believed only on messages the consumer itself published.

use lapin::options::BasicPublishOptions;
use lapin::publisher_confirm::Confirmation;
use lapin::types::{AMQPValue, FieldTable, LongString};
use lapin::{BasicProperties, Channel};

/// On a consumer's own retry copies: the broker user that first published it.
pub const PRODUCER_HEADER: &str = "x-producer-user";

/// The user name in an `amqp://user:password@host/vhost` URL (empty without one).
pub fn amqp_user(url: &str) -> String {
    crate::settings::url_credentials(url).0
}

/// The broker user that published a message received by `own_user`: its
/// `user_id`, or, on a copy `own_user` published itself, the original sender it
/// recorded. `None` when the message carries no `user_id` at all.
pub fn sender(properties: &BasicProperties, own_user: &str) -> Option<String> {
    let user_id = properties.user_id().as_ref()?.as_str();
    if user_id == own_user {
        let recorded = properties
            .headers()
            .as_ref()
            .and_then(|headers| headers.inner().get(PRODUCER_HEADER))
            .and_then(|value| match value {
                AMQPValue::LongString(text) => Some(text.to_string()),
                _ => None,
            });
        if let Some(recorded) = recorded {
            return Some(recorded);
        }
    }
    Some(user_id.to_owned())
}

/// Why an envelope claiming `producer` is not believed from `sender`.
pub fn refusal(sender: Option<&str>, producer: &str) -> Option<String> {
    match sender {
        Some(sender) if sender == producer => None,
        Some(sender) => Some(format!(
            "forged: published by broker user {sender:?}, but the envelope claims producer {producer:?}"
        )),
        None => Some(format!(
            "forged: published without a broker identity (no user_id), claiming producer {producer:?}"
        )),
    }
}

/// `properties` for a copy that `own_user` republishes, remembering `sender`.
pub fn restamped(
    properties: BasicProperties,
    mut headers: FieldTable,
    own_user: &str,
    sender: Option<&str>,
) -> BasicProperties {
    headers.insert(
        PRODUCER_HEADER.into(),
        AMQPValue::LongString(LongString::from(sender.unwrap_or_default())),
    );
    properties
        .with_headers(headers)
        .with_user_id(own_user.into())
}

/// Publishes a copy of a received message (`data`, `properties`) to `queue`
/// through the default exchange as `own_user`, with `headers` and the
/// sender the original had; `Ok(false)` when the broker refused it.
pub async fn republish(
    channel: &Channel,
    queue: &str,
    data: &[u8],
    properties: &BasicProperties,
    headers: FieldTable,
    own_user: &str,
) -> Result<bool, lapin::Error> {
    let sender = sender(properties, own_user);
    let copy = restamped(
        properties.clone().with_delivery_mode(2),
        headers,
        own_user,
        sender.as_deref(),
    );
    let confirmation = channel
        .basic_publish("", queue, BasicPublishOptions::default(), data, copy)
        .await?
        .await?;
    Ok(!matches!(confirmation, Confirmation::Nack(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(user: &str) -> BasicProperties {
        BasicProperties::default().with_user_id(user.into())
    }

    #[test]
    fn the_sender_is_the_broker_user_unless_the_consumer_republished_it() {
        assert_eq!(sender(&from("auth"), "notify").as_deref(), Some("auth"));
        assert_eq!(sender(&BasicProperties::default(), "notify"), None);
        let retry = restamped(from("auth"), FieldTable::default(), "notify", Some("auth"));
        assert_eq!(sender(&retry, "notify").as_deref(), Some("auth"));
        // The header means nothing on a message someone else published.
        let forged = restamped(from("x"), FieldTable::default(), "social", Some("auth"));
        assert_eq!(sender(&forged, "notify").as_deref(), Some("social"));
        // A copy of an unstamped message stays unstamped.
        let copy = restamped(
            BasicProperties::default(),
            FieldTable::default(),
            "notify",
            None,
        );
        assert_eq!(sender(&copy, "notify").as_deref(), Some(""));
    }

    #[test]
    fn an_envelope_is_believed_only_from_its_own_producer() {
        assert_eq!(refusal(Some("auth"), "auth"), None);
        assert!(refusal(Some("social"), "auth")
            .is_some_and(|why| why.contains("\"social\"") && why.contains("\"auth\"")));
        assert!(refusal(None, "auth").is_some_and(|why| why.contains("no user_id")));
        assert!(refusal(Some(""), "auth").is_some());
    }

    #[test]
    fn the_user_is_read_from_the_url() {
        assert_eq!(amqp_user("amqp://events:pw@rabbit:5672/%2f"), "events");
        assert_eq!(amqp_user("amqp://rabbit:5672/%2f"), "");
    }
}
