//! Watching what services publish on RabbitMQ.

use std::time::Duration;

use common::outbox::Envelope;
use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, ExchangeDeleteOptions, QueueBindOptions,
    QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::FieldTable;
use lapin::{Connection, ConnectionProperties, Consumer};

/// A private, self-deleting queue bound to a test's exchange.
pub struct EventTap {
    _connection: Connection,
    consumer: Consumer,
}

impl EventTap {
    /// Starts listening for `routing_key` (wildcards allowed) on `exchange`.
    #[allow(clippy::expect_used)]
    pub async fn bind(exchange: &str, routing_key: &str) -> Self {
        let connection = Connection::connect(&super::amqp_url(), ConnectionProperties::default())
            .await
            .expect("RabbitMQ reachable at TEST_AMQP_URL");
        let channel = connection.create_channel().await.expect("channel");
        common::outbox::declare_exchange(&channel, exchange)
            .await
            .expect("declare exchange");
        let queue = channel
            .queue_declare(
                "",
                QueueDeclareOptions {
                    exclusive: true,
                    auto_delete: true,
                    ..Default::default()
                },
                FieldTable::default(),
            )
            .await
            .expect("declare queue");
        channel
            .queue_bind(
                queue.name().as_str(),
                exchange,
                routing_key,
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
            .expect("bind queue");
        let consumer = channel
            .basic_consume(
                queue.name().as_str(),
                "tap",
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
            .expect("consume");
        Self {
            _connection: connection,
            consumer,
        }
    }

    /// The next event, or `None` if none arrives within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<Envelope> {
        let delivery = tokio::time::timeout(wait, self.consumer.next())
            .await
            .ok()??
            .ok()?;
        let _ = delivery.ack(BasicAckOptions::default()).await;
        serde_json::from_slice(&delivery.data).ok()
    }
}

/// Removes a test's exchange and queues.
pub async fn delete_exchange(exchange: &str, queues: &[String]) {
    let Ok(connection) =
        Connection::connect(&super::amqp_url(), ConnectionProperties::default()).await
    else {
        return;
    };
    if let Ok(channel) = connection.create_channel().await {
        for queue in queues {
            let _ = channel
                .queue_delete(queue, QueueDeleteOptions::default())
                .await;
        }
        let _ = channel
            .exchange_delete(exchange, ExchangeDeleteOptions::default())
            .await;
    }
    let _ = connection.close(200, "bye").await;
}

/// Publishes an envelope to `exchange` as its producer's relay would: as the
/// producer's broker user, stamped with it, confirmed.
pub async fn publish(exchange: &str, envelope: &Envelope) {
    publish_as(&envelope.producer, exchange, &envelope.event_type, envelope).await;
}

/// Publishes an envelope to `exchange` with `routing_key` as the broker user
/// `user` (stamped with it); panics if the broker refuses.
#[allow(clippy::expect_used)]
pub async fn publish_as(user: &str, exchange: &str, routing_key: &str, envelope: &Envelope) {
    try_publish(
        &super::amqp_url_as(user),
        user,
        exchange,
        routing_key,
        envelope,
    )
    .await
    .expect("the broker accepts the event");
}

/// Publishes like [`publish_as`] through `url` (whose user is `user`),
/// returning the broker's refusal instead of panicking.
#[allow(clippy::expect_used)]
pub async fn try_publish(
    url: &str,
    user: &str,
    exchange: &str,
    routing_key: &str,
    envelope: &Envelope,
) -> Result<(), lapin::Error> {
    let connection = Connection::connect(url, ConnectionProperties::default())
        .await
        .expect("RabbitMQ reachable at TEST_AMQP_URL, with the services' users (./scripts/test loads them)");
    let channel = connection.create_channel().await.expect("channel");
    channel
        .confirm_select(lapin::options::ConfirmSelectOptions::default())
        .await
        .expect("confirms");
    let body = serde_json::to_vec(envelope).expect("envelope serialises");
    let confirm = channel
        .basic_publish(
            exchange,
            routing_key,
            lapin::options::BasicPublishOptions::default(),
            &body,
            lapin::BasicProperties::default().with_user_id(user.into()),
        )
        .await?
        .await;
    let _ = connection.close(200, "bye").await;
    match confirm? {
        lapin::publisher_confirm::Confirmation::Nack(_) => Err(lapin::Error::InvalidChannelState(
            lapin::ChannelState::Error,
        )),
        _ => Ok(()),
    }
}

/// Waits until something consumes `queue` (so its bindings are in place and
/// events published from now on reach it).
#[allow(clippy::expect_used, clippy::panic)]
pub async fn wait_for_consumer(queue: &str) {
    let connection = Connection::connect(&super::amqp_url(), ConnectionProperties::default())
        .await
        .expect("RabbitMQ reachable at TEST_AMQP_URL");
    let started = std::time::Instant::now();
    loop {
        // A failed passive declare closes the channel, so each probe gets a new one.
        let channel = connection.create_channel().await.expect("channel");
        let passive = QueueDeclareOptions {
            passive: true,
            ..Default::default()
        };
        if let Ok(declared) = channel
            .queue_declare(queue, passive, FieldTable::default())
            .await
        {
            if declared.consumer_count() > 0 {
                let _ = connection.close(200, "bye").await;
                return;
            }
        }
        if started.elapsed() > Duration::from_secs(15) {
            panic!("nothing started consuming {queue}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
