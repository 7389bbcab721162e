//! The event consumer against real RabbitMQ and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::consumer::{Consumer, ConsumerConfig, HandlerError};
use common::metrics::Metrics;
use common::migrations::Migrations;
use common::outbox::Envelope;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};
use futures_util::StreamExt;
use lapin::options::{
    BasicConsumeOptions, BasicPublishOptions, ConfirmSelectOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties};
use secrecy::SecretString;
use testkit::{CuttableProxy, Isolation};
use tokio::sync::watch;
use uuid::Uuid;

static MIGRATIONS: EmbeddedMigrations = embed_migrations!("tests/migrations");

/// A consumer running as the `notify` broker user, fed by `auth`'s.
struct Setup {
    iso: Isolation,
    config: ConsumerConfig,
    metrics: Metrics,
    /// As the broker's administrator (guest): inspects and deletes queues.
    channel: Channel,
    _connection: Connection,
    /// As the `auth` broker user: publishes what the consumer reads.
    producer: Channel,
    _producer_connection: Connection,
    stop: watch::Sender<bool>,
}

impl Setup {
    async fn new(amqp_url: String) -> Self {
        let root = testkit::service::workspace_root();
        let iso = Isolation::new(
            "consumer",
            Migrations::own(&MIGRATIONS)
                .with_outbox()
                .with_processed_events(),
            &[
                root.join("crates/common/tests/migrations"),
                root.join("crates/common/migrations"),
            ],
        );
        let mut config = ConsumerConfig::new(
            SecretString::from(amqp_url),
            &iso.exchange,
            &format!("{}.notify.effects", iso.exchange),
            &["auth.thing.*"],
        );
        config.max_attempts = 3;
        config.backoff = vec![Duration::from_millis(100), Duration::from_millis(200)];
        iso.track_queues(config.queues());
        let connection = Connection::connect(&testkit::amqp_url(), ConnectionProperties::default())
            .await
            .unwrap();
        let channel = connection.create_channel().await.unwrap();
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .unwrap();
        let producer_connection = Connection::connect(
            &testkit::amqp_url_as("auth"),
            ConnectionProperties::default(),
        )
        .await
        .unwrap();
        let producer = producer_connection.create_channel().await.unwrap();
        producer
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .unwrap();
        let (stop, _) = watch::channel(false);
        Self {
            iso,
            config,
            metrics: Metrics::new("test"),
            channel,
            _connection: connection,
            producer,
            _producer_connection: producer_connection,
            stop,
        }
    }

    fn start(&self, handler: impl common::consumer::Handler) -> tokio::task::JoinHandle<()> {
        let pool = common::db::build_pool(&SecretString::from(self.iso.db.url.clone()), 2);
        Consumer::new(self.config.clone(), pool, self.metrics.clone(), handler)
            .spawn(self.stop.subscribe())
    }

    /// Waits until the consumer has declared its bindings and consumes.
    async fn wait_for_queue(&self) {
        testkit::bus::wait_for_consumer(&self.config.queue).await;
    }

    /// Publishes `body` as `auth`'s relay would (stamped with its user).
    async fn publish(&self, routing_key: &str, body: Vec<u8>) {
        self.producer
            .basic_publish(
                &self.config.exchange,
                routing_key,
                BasicPublishOptions::default(),
                &body,
                BasicProperties::default().with_user_id("auth".into()),
            )
            .await
            .unwrap()
            .await
            .unwrap();
    }

    async fn publish_event(&self, envelope: &Envelope) {
        self.publish(&envelope.event_type, serde_json::to_vec(envelope).unwrap())
            .await;
    }

    /// The failure reasons on the next `count` dead letters.
    async fn dead_letter_reasons(&self, count: usize) -> Vec<String> {
        let mut dead = self
            .channel
            .basic_consume(
                &self.config.dead_letter_queue(),
                "inspect",
                BasicConsumeOptions {
                    no_ack: true,
                    ..Default::default()
                },
                FieldTable::default(),
            )
            .await
            .unwrap();
        let mut reasons = Vec::new();
        for _ in 0..count {
            let delivery = tokio::time::timeout(Duration::from_secs(5), dead.next())
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            let headers = delivery.properties.headers().clone().unwrap();
            let reason = match headers.inner().get("x-failure-reason") {
                Some(AMQPValue::LongString(reason)) => reason.to_string(),
                other => panic!("no failure reason: {other:?}"),
            };
            reasons.push(reason);
        }
        reasons
    }

    fn effects(&self, id: Uuid) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            count: i64,
        }
        diesel::sql_query("SELECT count(*) AS count FROM effects WHERE event_id = $1")
            .bind::<SqlUuid, _>(id)
            .get_result::<Count>(&mut self.iso.db.connect())
            .unwrap()
            .count
    }

    async fn eventually(&self, what: &str, check: impl Fn() -> bool) {
        testkit::eventually(what, || std::future::ready(check())).await;
    }

    fn outcome(&self, outcome: &str) -> u64 {
        self.metrics
            .consumer_messages
            .with_label_values(&[&self.config.queue, outcome])
            .get()
    }

    async fn stop(self, consumer: tokio::task::JoinHandle<()>) {
        self.stop.send_replace(true);
        tokio::time::timeout(Duration::from_secs(10), consumer)
            .await
            .expect("consumer stops on shutdown")
            .unwrap();
        for queue in self.config.queues() {
            let _ = self
                .channel
                .queue_delete(&queue, QueueDeleteOptions::default())
                .await;
        }
    }
}

fn event(event_type: &str) -> Envelope {
    Envelope {
        id: Uuid::new_v4(),
        event_type: event_type.into(),
        version: 1,
        occurred_at: Utc::now(),
        producer: "auth".into(),
        data: serde_json::json!({"n": 1}),
    }
}

fn record(conn: &mut PgConnection, event: &Envelope) -> Result<(), HandlerError> {
    diesel::sql_query("INSERT INTO effects (event_id, note) VALUES ($1, $2)")
        .bind::<SqlUuid, _>(event.id)
        .bind::<Text, _>(&event.event_type)
        .execute(conn)?;
    Ok(())
}

#[tokio::test]
async fn a_message_delivered_twice_has_its_effect_once() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let consumer = setup.start(record);
    setup.wait_for_queue().await;
    let thing = event("auth.thing.created");
    setup.publish_event(&thing).await;
    setup.publish_event(&thing).await;
    setup.publish_event(&event("auth.other.created")).await;
    setup
        .eventually("both deliveries seen", || {
            setup.outcome("handled") + setup.outcome("duplicate") == 2
        })
        .await;
    assert_eq!(setup.effects(thing.id), 1);
    assert_eq!(setup.outcome("duplicate"), 1);
    setup.stop(consumer).await;
}

#[tokio::test]
async fn failures_are_retried_with_backoff_and_a_later_success_counts_once() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let tries = Arc::new(AtomicU32::new(0));
    let seen = tries.clone();
    let consumer = setup.start(move |conn: &mut PgConnection, event: &Envelope| {
        // Writes, then fails the first time: the write must roll back.
        record(conn, event)?;
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            return Err(HandlerError::refused("the first try fails"));
        }
        Ok(())
    });
    setup.wait_for_queue().await;
    let thing = event("auth.thing.updated");
    let started = Instant::now();
    setup.publish_event(&thing).await;
    setup
        .eventually("handled on the second try", || {
            setup.outcome("handled") == 1
        })
        .await;
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "waited for the backoff"
    );
    assert_eq!(tries.load(Ordering::SeqCst), 2);
    assert_eq!(setup.outcome("retried"), 1);
    assert_eq!(
        setup.effects(thing.id),
        1,
        "the failed try left nothing behind"
    );
    setup.stop(consumer).await;
}

#[tokio::test]
async fn a_message_that_keeps_failing_is_dead_lettered_with_its_reason() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let tries = Arc::new(AtomicU32::new(0));
    let seen = tries.clone();
    let consumer = setup.start(move |_: &mut PgConnection, _: &Envelope| {
        seen.fetch_add(1, Ordering::SeqCst);
        Err(HandlerError::refused("the template is missing"))
    });
    setup.wait_for_queue().await;
    let thing = event("auth.thing.deleted");
    setup.publish_event(&thing).await;
    setup
        .publish("auth.thing.garbled", b"not json".to_vec())
        .await;
    setup
        .eventually("both dead-lettered", || setup.outcome("dead_lettered") == 2)
        .await;
    assert_eq!(tries.load(Ordering::SeqCst), 3, "tried max_attempts times");
    assert_eq!(setup.outcome("retried"), 2);
    // Operators see the dead letters as a gauge (alert: dead letters waiting).
    setup
        .eventually("the dead-letter gauge", || {
            setup
                .metrics
                .dead_letters
                .with_label_values(&[&setup.config.queue])
                .get()
                == 2
        })
        .await;

    let mut reasons = setup.dead_letter_reasons(2).await;
    reasons.sort();
    assert_eq!(reasons[1], "the template is missing");
    assert!(
        reasons[0].starts_with("not an event envelope"),
        "{reasons:?}"
    );
    setup.stop(consumer).await;
}

#[tokio::test]
async fn the_consumer_reconnects_after_the_broker_goes_away() {
    let proxy = CuttableProxy::start("127.0.0.1:5672").await;
    let setup = Setup::new(format!(
        "amqp://notify:notify-dev@127.0.0.1:{}/%2f",
        proxy.port
    ))
    .await;
    let consumer = setup.start(record);
    setup.wait_for_queue().await;
    let before = event("auth.thing.created");
    setup.publish_event(&before).await;
    setup
        .eventually("handled before the cut", || setup.effects(before.id) == 1)
        .await;

    proxy.cut();
    let during = event("auth.thing.created");
    setup.publish_event(&during).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        setup.effects(during.id),
        0,
        "cannot be consumed while cut off"
    );
    proxy.restore();
    setup
        .eventually("handled after reconnecting", || {
            setup.effects(during.id) == 1
        })
        .await;
    setup.stop(consumer).await;
}

#[tokio::test]
async fn shutdown_finishes_the_message_in_hand() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let started = Arc::new(AtomicU32::new(0));
    let flag = started.clone();
    let consumer = setup.start(move |conn: &mut PgConnection, event: &Envelope| {
        flag.store(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(500));
        record(conn, event)
    });
    setup.wait_for_queue().await;
    let thing = event("auth.thing.created");
    setup.publish_event(&thing).await;
    setup
        .eventually("handler started", || started.load(Ordering::SeqCst) == 1)
        .await;
    setup.stop.send_replace(true);
    tokio::time::timeout(Duration::from_secs(10), consumer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        setup.effects(thing.id),
        1,
        "the message in hand was finished"
    );
    assert_eq!(setup.outcome("handled"), 1, "and acknowledged");
    let passive = lapin::options::QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    let queue = setup
        .channel
        .queue_declare(&setup.config.queue, passive, FieldTable::default())
        .await
        .unwrap();
    assert_eq!(queue.message_count(), 0, "nothing left to redeliver");
    for queue in setup.config.queues() {
        let _ = setup
            .channel
            .queue_delete(&queue, QueueDeleteOptions::default())
            .await;
    }
}

#[tokio::test]
async fn remembered_envelope_ids_are_forgotten_after_the_dedupe_window() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let mut conn = setup.iso.db.connect();
    diesel::sql_query(
        "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES \
         ('q', gen_random_uuid(), now() - interval '31 days'), ('q', gen_random_uuid(), now()), \
         ('other', gen_random_uuid(), now() - interval '31 days')",
    )
    .execute(&mut conn)
    .unwrap();
    let pruned =
        common::consumer::prune_processed(&mut conn, "q", common::consumer::DEDUPE_DAYS).unwrap();
    assert_eq!(pruned, 1, "only q's old id goes");
}

#[tokio::test]
async fn one_failing_event_in_a_batch_holds_back_none_of_the_others() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let consumer = setup.start(|conn: &mut PgConnection, event: &Envelope| {
        if event.data["n"] == 0 {
            // The others arrive meanwhile and are handled together next.
            std::thread::sleep(Duration::from_millis(300));
        }
        record(conn, event)?;
        if event.event_type == "auth.thing.broken" {
            return Err(HandlerError::refused("this one cannot be handled"));
        }
        Ok(())
    });
    setup.wait_for_queue().await;
    let numbered = |event_type: &str, n: u32| Envelope {
        data: serde_json::json!({ "n": n }),
        ..event(event_type)
    };
    setup
        .publish_event(&numbered("auth.thing.created", 0))
        .await;
    let mut good = Vec::new();
    for n in 1..=10 {
        if n == 5 {
            setup.publish_event(&numbered("auth.thing.broken", n)).await;
        }
        let thing = numbered("auth.thing.created", n);
        setup.publish_event(&thing).await;
        good.push(thing);
    }
    setup
        .eventually("all settled", || {
            setup.outcome("handled") == 11 && setup.outcome("dead_lettered") == 1
        })
        .await;
    for thing in &good {
        assert_eq!(setup.effects(thing.id), 1, "handled exactly once");
    }
    assert_eq!(setup.outcome("retried"), 2);
    setup.stop(consumer).await;
}

#[tokio::test]
async fn an_event_its_producer_did_not_publish_is_dead_lettered_unhandled() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let consumer = setup.start(record);
    setup.wait_for_queue().await;
    // social's user claims to be auth, straight into the queue (the default
    // exchange skips the topic permissions that stop it on the exchange).
    let claimed = event("auth.thing.created");
    testkit::bus::publish_as("social", "", &setup.config.queue, &claimed).await;
    // Without any broker identity (the administrator, unstamped).
    let unstamped = event("auth.thing.created");
    setup
        .channel
        .basic_publish(
            &setup.config.exchange,
            "auth.thing.created",
            BasicPublishOptions::default(),
            &serde_json::to_vec(&unstamped).unwrap(),
            BasicProperties::default(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    // The genuine one still gets through, after a retry under notify's user.
    let genuine = event("auth.thing.created");
    setup.publish_event(&genuine).await;
    setup
        .eventually("the genuine event is handled", || {
            setup.effects(genuine.id) == 1
        })
        .await;
    setup
        .eventually("both forgeries dead-lettered", || {
            setup.outcome("dead_lettered") == 2
        })
        .await;
    assert_eq!(setup.effects(claimed.id), 0);
    assert_eq!(setup.effects(unstamped.id), 0);
    let mut reasons = setup.dead_letter_reasons(2).await;
    reasons.sort();
    assert!(
        reasons[0].contains("published by broker user \"social\""),
        "{reasons:?}"
    );
    assert!(reasons[1].contains("no user_id"), "{reasons:?}");
    setup.stop(consumer).await;
}

#[tokio::test]
async fn a_retried_event_keeps_its_producer() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let tries = Arc::new(AtomicU32::new(0));
    let seen = tries.clone();
    let consumer = setup.start(move |conn: &mut PgConnection, event: &Envelope| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            return Err(HandlerError::refused("not yet"));
        }
        record(conn, event)
    });
    setup.wait_for_queue().await;
    let thing = event("auth.thing.created");
    setup.publish_event(&thing).await;
    setup
        .eventually("handled on the retry", || setup.effects(thing.id) == 1)
        .await;
    assert_eq!(setup.outcome("dead_lettered"), 0);

    setup.stop(consumer).await;
}

/// The vhost `platform-check` carries the grants of
/// `deploy/rabbitmq/definitions.json` on an exchange named `platform`, as a
/// deployment's vhost does.
#[tokio::test]
async fn on_the_events_exchange_a_service_publishes_only_its_own_event_types() {
    use lapin::options::{QueueBindOptions, QueueDeclareOptions};
    let tag = Uuid::new_v4().simple().to_string();
    let on = |user: &str| testkit::amqp_url_on(user, "platform-check");
    // notify listens on a queue of its own for both kinds of key.
    let listener = Connection::connect(&on("notify"), ConnectionProperties::default())
        .await
        .unwrap();
    let channel = listener.create_channel().await.unwrap();
    common::outbox::declare_exchange(&channel, "platform")
        .await
        .unwrap();
    let queue = format!("notify.check.{tag}");
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        auto_delete: true,
        ..Default::default()
    };
    channel
        .queue_declare(&queue, exclusive, FieldTable::default())
        .await
        .unwrap();
    channel
        .queue_bind(
            &queue,
            "platform",
            &format!("*.check.{tag}"),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    let mut heard = channel
        .basic_consume(
            &queue,
            "check",
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();

    let mut own = event(&format!("social.check.{tag}"));
    own.producer = "social".into();
    let key = own.event_type.clone();
    testkit::bus::try_publish(&on("social"), "social", "platform", &key, &own)
        .await
        .expect("social publishes its own events");
    let delivery = tokio::time::timeout(Duration::from_secs(5), heard.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(delivery.routing_key.as_str(), key);

    let forged = event(&format!("auth.check.{tag}"));
    let key = forged.event_type.clone();
    let refused =
        testkit::bus::try_publish(&on("social"), "social", "platform", &key, &forged).await;
    assert!(
        refused.is_err(),
        "social published an auth event: {refused:?}"
    );
    let nothing = tokio::time::timeout(Duration::from_millis(500), heard.next()).await;
    assert!(nothing.is_err(), "the forged event arrived");
    // auth itself may.
    testkit::bus::try_publish(&on("auth"), "auth", "platform", &key, &forged)
        .await
        .expect("auth publishes its own events");
    let _ = listener.close(200, "bye").await;
}

#[tokio::test]
async fn dead_letters_replayed_after_the_fix_are_handled_once_as_from_their_producer() {
    let setup = Setup::new(testkit::amqp_url_as("notify")).await;
    let fixed = Arc::new(AtomicU32::new(0));
    let flag = fixed.clone();
    let consumer = setup.start(move |conn: &mut PgConnection, event: &Envelope| {
        if flag.load(Ordering::SeqCst) == 0 {
            return Err(HandlerError::refused("the template is missing"));
        }
        record(conn, event)
    });
    setup.wait_for_queue().await;
    let thing = event("auth.thing.created");
    setup.publish_event(&thing).await;
    setup
        .eventually("dead-lettered", || setup.outcome("dead_lettered") == 1)
        .await;
    assert_eq!(setup.effects(thing.id), 0);

    fixed.store(1, Ordering::SeqCst);
    let moved = common::dead_letters::replay(&setup.config.amqp_url, &setup.config.queue)
        .await
        .unwrap();
    assert_eq!(moved, 1);
    setup
        .eventually("handled after the replay", || setup.effects(thing.id) == 1)
        .await;
    assert_eq!(setup.outcome("dead_lettered"), 1, "not dead-lettered again");
    let again = common::dead_letters::replay(&setup.config.amqp_url, &setup.config.queue)
        .await
        .unwrap();
    assert_eq!(again, 0, "nothing left to move");
    // A queue that does not exist is an error, not a silent nothing.
    let missing = format!("{}.missing", setup.config.queue);
    assert!(
        common::dead_letters::replay(&setup.config.amqp_url, &missing)
            .await
            .is_err()
    );
    setup.stop(consumer).await;
}
