//! Moving a consumer's dead letters back to its queue, once the cause of
//! their failure is fixed (`<binary> replay-dead-letters --queue <queue>`).
//!
//! Each message is published again under the service's own broker user with
//! the original sender it recorded (`broker_identity`), so the consumer
//! believes it as before; its attempt count starts again. Only the messages
//! waiting when the replay starts are moved, so one that fails again at once
//! is not moved round and round.

use lapin::options::{BasicAckOptions, BasicGetOptions, ConfirmSelectOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{Connection, ConnectionProperties};
use secrecy::{ExposeSecret, SecretString};

use crate::broker_identity;

/// Why a replay stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("the broker failed")]
    Broker(#[from] lapin::Error),
    #[error("the broker refused to take back a message; {0} were moved before it")]
    Refused(usize),
}

/// Moves the messages waiting in `<queue>.dead` to `<queue>`; returns how many.
pub async fn replay(amqp_url: &SecretString, queue: &str) -> Result<usize, ReplayError> {
    let own_user = broker_identity::amqp_user(amqp_url.expose_secret());
    let connection =
        Connection::connect(amqp_url.expose_secret(), ConnectionProperties::default()).await?;
    let channel = connection.create_channel().await?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await?;
    let dead = format!("{queue}.dead");
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    // Both must exist: a typo in the name moves nothing anywhere.
    channel
        .queue_declare(queue, passive, FieldTable::default())
        .await?;
    let waiting = channel
        .queue_declare(&dead, passive, FieldTable::default())
        .await?
        .message_count();
    let mut moved = 0;
    while moved < usize::try_from(waiting).unwrap_or(usize::MAX) {
        let Some(message) = channel.basic_get(&dead, BasicGetOptions::default()).await? else {
            break;
        };
        // The tries start again; what the failures said goes with them.
        let mut headers = message
            .properties
            .headers()
            .as_ref()
            .map(|headers| headers.inner().clone())
            .unwrap_or_default();
        headers.retain(|name, _| {
            !matches!(
                name.as_str(),
                crate::consumer::ATTEMPT
                    | crate::consumer::LAST_ERROR
                    | crate::consumer::FAILURE_REASON
            )
        });
        let accepted = broker_identity::republish(
            &channel,
            queue,
            &message.data,
            &message.properties,
            FieldTable::from(headers),
            &own_user,
        )
        .await?;
        if !accepted {
            // The dead letter stays where it is (not acknowledged).
            return Err(ReplayError::Refused(moved));
        }
        message.ack(BasicAckOptions::default()).await?;
        moved += 1;
    }
    let _ = connection.close(200, "replayed").await;
    Ok(moved)
}
