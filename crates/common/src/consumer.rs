//! Consuming platform events: a durable queue per purpose, bound to the event
//! types it needs. Each message is handled in one database transaction that
//! also records its envelope id, and acknowledged only after that commits, so
//! a message delivered twice has its effect once. A failing message is retried
//! through delay queues with growing backoff and, after the last try, moved to
//! a dead-letter queue with the reason. The consumer reconnects by itself and
//! finishes the message in hand on shutdown.

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel::Connection as _;
use futures_util::{FutureExt, StreamExt};
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicQosOptions,
    ConfirmSelectOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{Channel, Connection, ConnectionProperties};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::watch;

use crate::broker_identity;
use crate::db::{DbError, PgPool};
use crate::metrics::Metrics;
use crate::outbox::Envelope;
use crate::report::Chain;

/// Why a handler could not apply an event. The whole chain of causes becomes
/// the failure reason kept on the message and in the logs.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// The event does not match its contract, or comes from a service that
    /// does not own its type.
    #[error("the event does not match its contract")]
    Contract(#[from] contracts::ContractError),
    #[error("a query failed")]
    Database(#[from] diesel::result::Error),
    /// The handler cannot apply the event (yet), and says why.
    #[error("{0}")]
    Refused(String),
}

impl HandlerError {
    pub fn refused(why: impl Into<String>) -> Self {
        Self::Refused(why.into())
    }
}

/// What a consumer does with one event, inside the transaction that records it.
/// An `Err` rolls the transaction back and schedules a retry; its chain of
/// causes is kept as the failure reason.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, conn: &mut PgConnection, event: &Envelope) -> Result<(), HandlerError>;

    /// Called after the transaction that handled `event` committed (and
    /// before the ack), for effects that must not run on a rollback, such
    /// as live push.
    fn committed(&self, _event: &Envelope) {}
}

impl<F> Handler for F
where
    F: Fn(&mut PgConnection, &Envelope) -> Result<(), HandlerError> + Send + Sync + 'static,
{
    fn handle(&self, conn: &mut PgConnection, event: &Envelope) -> Result<(), HandlerError> {
        self(conn, event)
    }
}

/// A consumer a service runs: its queue's purpose name, the event types it
/// needs, and what it does with them. The server builds the rest of the
/// [`ConsumerConfig`] from the settings.
#[derive(Clone)]
pub struct ConsumerSpec {
    /// `<service>.<purpose>`, e.g. `social.users`.
    pub queue: &'static str,
    pub bindings: &'static [&'static str],
    pub handler: Arc<dyn Handler>,
}

/// Where a consumer reads from and how it retries.
#[derive(Clone)]
pub struct ConsumerConfig {
    pub amqp_url: SecretString,
    pub exchange: String,
    /// Durable queue name, `<service>.<purpose>`.
    pub queue: String,
    /// Routing keys (event types, `*`/`#` wildcards allowed) bound to the queue.
    pub bindings: Vec<String>,
    /// Unacknowledged messages the broker may send ahead.
    pub prefetch: u16,
    /// Batches handled at the same time (each in its own transaction).
    pub concurrency: usize,
    /// Tries before a message is dead-lettered (the first delivery counts).
    pub max_attempts: u32,
    /// Wait before the 1st, 2nd, ... retry; the last value repeats.
    pub backoff: Vec<Duration>,
}

impl ConsumerConfig {
    /// Sensible defaults: prefetch 128, four batches at a time, 5 tries over about 3 minutes.
    pub fn new(amqp_url: SecretString, exchange: &str, queue: &str, bindings: &[&str]) -> Self {
        Self {
            amqp_url,
            exchange: exchange.to_owned(),
            queue: queue.to_owned(),
            bindings: bindings.iter().map(|b| (*b).to_owned()).collect(),
            prefetch: 128,
            concurrency: 4,
            max_attempts: 5,
            backoff: [1, 5, 30, 120].map(Duration::from_secs).to_vec(),
        }
    }

    fn retry_queue(&self, attempt: u32) -> String {
        format!("{}.retry.{attempt}", self.queue)
    }

    /// The queue a message lands in after its last try.
    pub fn dead_letter_queue(&self) -> String {
        format!("{}.dead", self.queue)
    }

    fn delay(&self, attempt: u32) -> Duration {
        let index = usize::try_from(attempt.saturating_sub(1)).unwrap_or(usize::MAX);
        self.backoff
            .get(index)
            .or(self.backoff.last())
            .copied()
            .unwrap_or(Duration::from_secs(1))
    }

    /// Every queue this consumer declares, for operators and cleanup.
    pub fn queues(&self) -> Vec<String> {
        let mut queues = vec![self.queue.clone(), self.dead_letter_queue()];
        queues.extend((1..self.max_attempts).map(|attempt| self.retry_queue(attempt)));
        queues
    }
}

/// How long envelope ids are remembered for deduplication: far longer than any
/// redelivery or retry takes.
pub const DEDUPE_DAYS: i64 = 30;

/// Forgets the envelope ids `consumer` processed more than `days` ago.
pub fn prune_processed(conn: &mut PgConnection, consumer: &str, days: i64) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM processed_events WHERE consumer = $1 AND processed_at < now() - make_interval(days => $2::int)",
    )
    .bind::<Text, _>(consumer)
    .bind::<diesel::sql_types::BigInt, _>(days)
    .execute(conn)
}

pub(crate) const ATTEMPT: &str = "x-attempt";
pub(crate) const LAST_ERROR: &str = "x-last-error";
pub(crate) const FAILURE_REASON: &str = "x-failure-reason";

/// A consumer ready to run.
pub struct Consumer {
    config: ConsumerConfig,
    /// The broker user this consumer connects as (see `broker_identity`).
    own_user: String,
    pool: PgPool,
    metrics: Metrics,
    handler: Arc<dyn Handler>,
}

enum Outcome {
    Handled,
    Duplicate,
    Failed(String),
}

impl Consumer {
    pub fn new(
        config: ConsumerConfig,
        pool: PgPool,
        metrics: Metrics,
        handler: impl Handler,
    ) -> Self {
        Self::shared(config, pool, metrics, Arc::new(handler))
    }

    /// Like [`Consumer::new`] with a handler that is already shared.
    pub fn shared(
        config: ConsumerConfig,
        pool: PgPool,
        metrics: Metrics,
        handler: Arc<dyn Handler>,
    ) -> Self {
        Self {
            own_user: broker_identity::amqp_user(config.amqp_url.expose_secret()),
            config,
            pool,
            metrics,
            handler,
        }
    }

    /// Runs until `shutdown` turns true, reconnecting whenever the broker goes away.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut backoff = Duration::from_millis(200);
        while !*shutdown.borrow() {
            match self.session(&mut shutdown).await {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(queue = %self.config.queue, error = %Chain(&error), retry_in_ms = backoff.as_millis() as u64,
                        "consumer lost the broker; reconnecting");
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = shutdown.changed() => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    /// Starts the consumer on the current runtime.
    pub fn spawn(self, shutdown: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.run(shutdown))
    }

    /// One connection's life: declare, consume, and return Ok only on shutdown.
    async fn session(&self, shutdown: &mut watch::Receiver<bool>) -> Result<(), lapin::Error> {
        let connection = Connection::connect(
            self.config.amqp_url.expose_secret(),
            ConnectionProperties::default(),
        )
        .await?;
        let channel = connection.create_channel().await?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        channel
            .basic_qos(self.config.prefetch, BasicQosOptions::default())
            .await?;
        self.declare(&channel).await?;
        let tag = format!("{}-{}", self.config.queue, uuid::Uuid::new_v4().simple());
        let mut deliveries = channel
            .basic_consume(
                &self.config.queue,
                &tag,
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await?;
        tracing::info!(queue = %self.config.queue, "consuming");
        let mut lag_tick = tokio::time::interval(Duration::from_secs(5));
        let mut prune_tick = tokio::time::interval(Duration::from_secs(3600));
        // Batches being handled; each finishes with its acks.
        let mut inflight = futures_util::stream::FuturesUnordered::new();
        let limit = self.config.concurrency.max(1);
        let batch_size = (usize::from(self.config.prefetch.max(1)) / limit).max(1);
        loop {
            tokio::select! {
                _ = shutdown.changed() => {
                    // Stop taking messages and finish the batches in hand. Prefetched,
                    // unacknowledged ones go back to the queue when the channel closes.
                    let _ = channel.basic_cancel(&tag, BasicCancelOptions::default()).await;
                    while let Some(done) = inflight.next().await {
                        done?;
                    }
                    let _ = connection.close(200, "shutting down").await;
                    return Ok(());
                }
                _ = lag_tick.tick() => self.record_lag(&channel).await,
                _ = prune_tick.tick() => self.prune().await,
                Some(done) = inflight.next(), if !inflight.is_empty() => done?,
                next = deliveries.next(), if inflight.len() < limit => match next {
                    Some(Ok(delivery)) => {
                        // Take whatever else has already arrived and handle it
                        // in the same transaction.
                        let mut batch = vec![delivery];
                        while batch.len() < batch_size {
                            match deliveries.next().now_or_never() {
                                Some(Some(Ok(more))) => batch.push(more),
                                _ => break,
                            }
                        }
                        inflight.push(self.process_batch(&channel, batch));
                    }
                    Some(Err(error)) => return Err(error),
                    None => return Err(lapin::Error::InvalidChannelState(lapin::ChannelState::Closed)),
                },
            }
        }
    }

    async fn declare(&self, channel: &Channel) -> Result<(), lapin::Error> {
        let durable = QueueDeclareOptions {
            durable: true,
            ..Default::default()
        };
        crate::outbox::declare_exchange(channel, &self.config.exchange).await?;
        channel
            .queue_declare(&self.config.queue, durable, FieldTable::default())
            .await?;
        for binding in &self.config.bindings {
            channel
                .queue_bind(
                    &self.config.queue,
                    &self.config.exchange,
                    binding,
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
        // A retry waits in its delay queue, then expires back into the main queue.
        for attempt in 1..self.config.max_attempts {
            let mut args = FieldTable::default();
            let ttl = u32::try_from(self.config.delay(attempt).as_millis()).unwrap_or(u32::MAX);
            args.insert("x-message-ttl".into(), AMQPValue::LongUInt(ttl));
            args.insert(
                "x-dead-letter-exchange".into(),
                AMQPValue::LongString("".into()),
            );
            args.insert(
                "x-dead-letter-routing-key".into(),
                AMQPValue::LongString(self.config.queue.clone().into()),
            );
            channel
                .queue_declare(&self.config.retry_queue(attempt), durable, args)
                .await?;
        }
        channel
            .queue_declare(
                &self.config.dead_letter_queue(),
                durable,
                FieldTable::default(),
            )
            .await?;
        Ok(())
    }

    /// Handles deliveries that arrived together: every envelope in one
    /// transaction (one commit), each inside its own savepoint so one failing
    /// event is retried alone; then hooks, retries or dead-lettering, and acks.
    async fn process_batch(
        &self,
        channel: &Channel,
        batch: Vec<Delivery>,
    ) -> Result<(), lapin::Error> {
        let mut envelopes = Vec::with_capacity(batch.len());
        let mut deliveries = Vec::with_capacity(batch.len());
        for delivery in batch {
            let attempt = header_u32(&delivery, ATTEMPT).unwrap_or(1);
            let sender = broker_identity::sender(&delivery.properties, &self.own_user);
            let parsed = serde_json::from_slice::<Envelope>(&delivery.data)
                .map_err(|error| format!("not an event envelope: {error}"))
                .and_then(|envelope| {
                    match broker_identity::refusal(sender.as_deref(), &envelope.producer) {
                        Some(forged) => Err(forged),
                        None => Ok(envelope),
                    }
                });
            match parsed {
                Ok(mut envelope) => {
                    // A clock ahead (or a forged date) must not freeze what
                    // consumers order by time: no event happened in the future.
                    envelope.occurred_at = envelope.occurred_at.min(chrono::Utc::now());
                    envelopes.push(envelope);
                    deliveries.push(delivery);
                }
                Err(reason) => {
                    // Retrying cannot fix a message that is not an envelope, nor
                    // one that did not come from the service it names.
                    tracing::warn!(queue = %self.config.queue, %reason, "event refused; dead-lettered");
                    self.forward(
                        channel,
                        &delivery,
                        &self.config.dead_letter_queue(),
                        attempt,
                        &reason,
                    )
                    .await?;
                    self.count("dead_lettered");
                    delivery.ack(BasicAckOptions::default()).await?;
                }
            }
        }
        if envelopes.is_empty() {
            return Ok(());
        }
        let outcomes = self.apply(&envelopes).await;
        let now = chrono::Utc::now();
        for ((envelope, delivery), outcome) in envelopes.iter().zip(deliveries).zip(outcomes) {
            if matches!(outcome, Outcome::Handled) {
                self.handler.committed(envelope);
                let delay = (now - envelope.occurred_at).num_microseconds().unwrap_or(0);
                self.metrics
                    .consumer_delay
                    .with_label_values(&[&self.config.queue])
                    .observe(delay.max(0) as f64 / 1e6);
            }
            self.settle(channel, delivery, outcome).await?;
        }
        Ok(())
    }

    /// Counts, retries or dead-letters one handled delivery, then acks it.
    async fn settle(
        &self,
        channel: &Channel,
        delivery: Delivery,
        outcome: Outcome,
    ) -> Result<(), lapin::Error> {
        let attempt = header_u32(&delivery, ATTEMPT).unwrap_or(1);
        match outcome {
            Outcome::Handled => self.count("handled"),
            Outcome::Duplicate => self.count("duplicate"),
            Outcome::Failed(reason) if attempt < self.config.max_attempts => {
                tracing::warn!(queue = %self.config.queue, attempt, %reason, "event failed; will retry");
                self.forward(
                    channel,
                    &delivery,
                    &self.config.retry_queue(attempt),
                    attempt + 1,
                    &reason,
                )
                .await?;
                self.count("retried");
            }
            Outcome::Failed(reason) => {
                tracing::error!(queue = %self.config.queue, attempt, %reason, "event failed for the last time; dead-lettered");
                self.forward(
                    channel,
                    &delivery,
                    &self.config.dead_letter_queue(),
                    attempt,
                    &reason,
                )
                .await?;
                self.count("dead_lettered");
            }
        }
        delivery.ack(BasicAckOptions::default()).await
    }

    /// Records each envelope id and runs the handler, all in one transaction
    /// with a savepoint per envelope. A failed commit fails them all.
    async fn apply(&self, envelopes: &[Envelope]) -> Vec<Outcome> {
        let pool = self.pool.clone();
        let handler = self.handler.clone();
        let consumer = self.config.queue.clone();
        let envelopes = envelopes.to_vec();
        let count = envelopes.len();
        let result = tokio::task::spawn_blocking(move || -> Result<Vec<Outcome>, DbError> {
            let mut conn = pool.get()?;
            // Fast path: the whole batch in one transaction without savepoints.
            let fast = conn.transaction::<Vec<Outcome>, Failure, _>(|conn| {
                // One statement records the whole batch's ids and says which are new.
                let mut fresh = record_all(conn, &consumer, &envelopes)?;
                let mut outcomes = Vec::with_capacity(envelopes.len());
                for envelope in &envelopes {
                    // `remove`: a second copy in the same batch is a duplicate.
                    if fresh.remove(&envelope.id) {
                        handler.handle(conn, envelope).map_err(Failure::Handler)?;
                        outcomes.push(Outcome::Handled);
                    } else {
                        outcomes.push(Outcome::Duplicate);
                    }
                }
                Ok(outcomes)
            });
            match fast {
                Ok(outcomes) => return Ok(outcomes),
                Err(failure) if envelopes.len() == 1 => {
                    return Ok(vec![Outcome::Failed(failure.reason())])
                }
                // Something failed: again, each event in its own savepoint, so
                // only the failing ones are retried.
                Err(_) => {}
            }
            conn.transaction::<Vec<Outcome>, diesel::result::Error, _>(|conn| {
                let mut outcomes = Vec::with_capacity(envelopes.len());
                for envelope in &envelopes {
                    let one = conn.transaction::<bool, Failure, _>(|conn| {
                        let fresh = record(conn, &consumer, envelope)?;
                        if fresh {
                            handler.handle(conn, envelope).map_err(Failure::Handler)?;
                        }
                        Ok(fresh)
                    });
                    outcomes.push(match one {
                        Ok(true) => Outcome::Handled,
                        Ok(false) => Outcome::Duplicate,
                        Err(failure) => Outcome::Failed(failure.reason()),
                    });
                }
                Ok(outcomes)
            })
            .map_err(DbError::from)
        })
        .await;
        let reason = match result {
            Ok(Ok(outcomes)) => return outcomes,
            Ok(Err(error)) => Chain(&error).to_string(),
            Err(panic) => format!("handler panicked: {panic}"),
        };
        (0..count)
            .map(|_| Outcome::Failed(reason.clone()))
            .collect()
    }

    /// Publishes a copy of `delivery` to `queue` (through the default exchange)
    /// and waits for the broker to confirm it before the original is acked.
    async fn forward(
        &self,
        channel: &Channel,
        delivery: &Delivery,
        queue: &str,
        attempt: u32,
        reason: &str,
    ) -> Result<(), lapin::Error> {
        let mut headers = delivery.properties.headers().clone().unwrap_or_default();
        headers.insert(ATTEMPT.into(), AMQPValue::LongUInt(attempt));
        let reason: String = reason.chars().take(1000).collect();
        let key: ShortString = if queue.ends_with(".dead") {
            FAILURE_REASON.into()
        } else {
            LAST_ERROR.into()
        };
        headers.insert(key, AMQPValue::LongString(LongString::from(reason)));
        // Republished under this consumer's own user, remembering who sent it.
        let accepted = broker_identity::republish(
            channel,
            queue,
            &delivery.data,
            &delivery.properties,
            headers,
            &self.own_user,
        )
        .await?;
        if !accepted {
            // Leave the original unacknowledged: reconnecting redelivers it.
            tracing::warn!(%queue, "broker refused a forwarded copy");
            return Err(lapin::Error::InvalidChannelState(
                lapin::ChannelState::Error,
            ));
        }
        Ok(())
    }

    fn count(&self, outcome: &str) {
        self.metrics
            .consumer_messages
            .with_label_values(&[&self.config.queue, outcome])
            .inc();
    }

    async fn prune(&self) {
        let pool = self.pool.clone();
        let queue = self.config.queue.clone();
        let pruned = tokio::task::spawn_blocking(move || -> Result<usize, DbError> {
            let mut conn = pool.get()?;
            Ok(prune_processed(&mut conn, &queue, DEDUPE_DAYS)?)
        })
        .await;
        if let Ok(Err(error)) = pruned {
            tracing::warn!(queue = %self.config.queue, error = %Chain(&error), "could not prune processed events");
        }
    }

    async fn record_lag(&self, channel: &Channel) {
        let passive = QueueDeclareOptions {
            passive: true,
            ..Default::default()
        };
        if let Ok(queue) = channel
            .queue_declare(&self.config.queue, passive, FieldTable::default())
            .await
        {
            self.metrics
                .consumer_lag
                .with_label_values(&[&self.config.queue])
                .set(i64::from(queue.message_count()));
        }
        let dead = self.config.dead_letter_queue();
        if let Ok(queue) = channel
            .queue_declare(&dead, passive, FieldTable::default())
            .await
        {
            self.metrics
                .dead_letters
                .with_label_values(&[&self.config.queue])
                .set(i64::from(queue.message_count()));
        }
    }
}

/// Remembers the envelope id for `consumer`; false when it was already there.
fn record(
    conn: &mut PgConnection,
    consumer: &str,
    envelope: &Envelope,
) -> Result<bool, diesel::result::Error> {
    crate::prepared::prepared(
        "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        (
            crate::prepared::bind::<Text, _>(consumer),
            crate::prepared::bind::<SqlUuid, _>(envelope.id),
        ),
    )
    .execute(conn)
    .map(|rows| rows == 1)
}

#[derive(QueryableByName)]
struct Recorded {
    #[diesel(sql_type = SqlUuid)]
    event_id: uuid::Uuid,
}

/// Remembers every envelope id of a batch for `consumer`; returns those that were new.
fn record_all(
    conn: &mut PgConnection,
    consumer: &str,
    envelopes: &[Envelope],
) -> Result<std::collections::HashSet<uuid::Uuid>, diesel::result::Error> {
    let ids: Vec<uuid::Uuid> = envelopes.iter().map(|e| e.id).collect();
    crate::prepared::prepared(
        "INSERT INTO processed_events (consumer, event_id) SELECT $1, unnest($2::uuid[])
         ON CONFLICT DO NOTHING RETURNING event_id",
        (
            crate::prepared::bind::<Text, _>(consumer),
            crate::prepared::bind::<diesel::sql_types::Array<SqlUuid>, _>(ids),
        ),
    )
    .load::<Recorded>(conn)
    .map(|rows| rows.into_iter().map(|r| r.event_id).collect())
}

enum Failure {
    Database(diesel::result::Error),
    Handler(HandlerError),
}

impl Failure {
    /// The reason kept on the message: the whole chain of causes.
    fn reason(self) -> String {
        match self {
            Self::Database(error) => Chain(&HandlerError::Database(error)).to_string(),
            Self::Handler(error) => Chain(&error).to_string(),
        }
    }
}

impl From<diesel::result::Error> for Failure {
    fn from(error: diesel::result::Error) -> Self {
        Self::Database(error)
    }
}

fn header_u32(delivery: &Delivery, name: &str) -> Option<u32> {
    read_u32(delivery.properties.headers().as_ref()?, name)
}

/// A counter header, whichever integer type the sender encoded it as.
fn read_u32(headers: &FieldTable, name: &str) -> Option<u32> {
    match headers.inner().get(name)? {
        AMQPValue::LongUInt(n) => Some(*n),
        AMQPValue::LongLongInt(n) => u32::try_from(*n).ok(),
        AMQPValue::LongInt(n) => u32::try_from(*n).ok(),
        AMQPValue::ShortUInt(n) => Some(u32::from(*n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(backoff: &[u64]) -> ConsumerConfig {
        let mut config = ConsumerConfig::new(
            SecretString::from(String::new()),
            "platform",
            "notify.events",
            &["social.#"],
        );
        config.backoff = backoff.iter().map(|s| Duration::from_secs(*s)).collect();
        config
    }

    #[test]
    fn retries_wait_by_their_attempt_and_the_last_wait_repeats() {
        let config = config(&[1, 10, 60]);
        assert_eq!(config.delay(1), Duration::from_secs(1));
        assert_eq!(config.delay(2), Duration::from_secs(10));
        assert_eq!(config.delay(3), Duration::from_secs(60));
        assert_eq!(config.delay(9), Duration::from_secs(60));
        assert_eq!(config.delay(0), Duration::from_secs(1));
        assert_eq!(self::config(&[]).delay(2), Duration::from_secs(1));
    }

    #[test]
    fn every_retry_queue_and_the_dead_letter_queue_are_declared() {
        let mut config = config(&[1]);
        config.max_attempts = 3;
        assert_eq!(
            config.queues(),
            [
                "notify.events",
                "notify.events.dead",
                "notify.events.retry.1",
                "notify.events.retry.2"
            ]
        );
    }

    #[test]
    fn attempt_headers_are_read_whatever_integer_type_carries_them() {
        let mut headers = FieldTable::default();
        for (name, value) in [
            ("a", AMQPValue::LongUInt(3)),
            ("b", AMQPValue::LongLongInt(4)),
            ("c", AMQPValue::LongInt(5)),
            ("d", AMQPValue::ShortUInt(6)),
            ("negative", AMQPValue::LongLongInt(-1)),
            ("text", AMQPValue::LongString("7".into())),
        ] {
            headers.insert(name.into(), value);
        }
        assert_eq!(read_u32(&headers, "a"), Some(3));
        assert_eq!(read_u32(&headers, "b"), Some(4));
        assert_eq!(read_u32(&headers, "c"), Some(5));
        assert_eq!(read_u32(&headers, "d"), Some(6));
        assert_eq!(read_u32(&headers, "negative"), None);
        assert_eq!(read_u32(&headers, "text"), None);
        assert_eq!(read_u32(&headers, "missing"), None);
    }
}
