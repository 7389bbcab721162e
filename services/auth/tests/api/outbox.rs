//! The outbox keeps events while RabbitMQ is unreachable and publishes them
//! when it returns; writes never wait for the broker.

use std::time::Duration;

use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::Value;
use testkit::{CuttableProxy, EventTap};

use crate::support::{spawn_app_with, TestApp};

async fn broker_state(app: &TestApp, want: &str) {
    testkit::eventually(&format!("the broker to be {want}"), || async {
        let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
        ready["broker"] == want
    })
    .await;
}

#[tokio::test]
async fn events_written_while_the_broker_is_down_are_published_when_it_returns() {
    let proxy = CuttableProxy::start("127.0.0.1:5672").await;
    let port = proxy.port;
    let app = spawn_app_with(|s| {
        s.common.amqp_url = SecretString::from(format!("amqp://guest:guest@127.0.0.1:{port}/%2f"));
    })
    .await;
    let mut tap = EventTap::bind(&app.iso.exchange, "auth.user.registered").await;
    broker_state(&app, "up").await;

    app.person("Before").await;
    let before = tap
        .next(Duration::from_secs(10))
        .await
        .expect("published while up");
    assert_eq!(before.data["username"], "Before");

    proxy.cut();
    broker_state(&app, "down").await;
    let during = app
        .register("During", "during@example.org", "password1")
        .await;
    assert_eq!(
        during.status(),
        StatusCode::CREATED,
        "registration works without the broker"
    );
    assert!(
        tap.next(Duration::from_millis(800)).await.is_none(),
        "nothing can be published while cut"
    );

    proxy.restore();
    let after = tap
        .next(Duration::from_secs(20))
        .await
        .expect("published after the broker returned");
    assert_eq!(after.data["username"], "During");
    broker_state(&app, "up").await;
    assert!(
        tap.next(Duration::from_millis(800)).await.is_none(),
        "each event once"
    );
}

#[tokio::test]
async fn published_events_are_pruned_after_the_retention_period() {
    let app = crate::support::spawn_app().await;
    app.person("Recent").await;
    let mut conn = app.iso.db.connect();
    use diesel::RunQueryDsl;
    diesel::sql_query(
        "INSERT INTO outbox (id, event_type, payload, created_at, published_at) \
         VALUES (gen_random_uuid(), 'auth.user.updated', '{}', now() - interval '9 days', now() - interval '8 days'), \
                (gen_random_uuid(), 'auth.user.updated', '{}', now() - interval '9 days', NULL)",
    )
    .execute(&mut conn)
    .unwrap();
    let pruned = common::outbox::prune(&mut conn, common::outbox::RETENTION_DAYS).unwrap();
    assert_eq!(
        pruned, 1,
        "only the old published event goes; unsent events are never pruned"
    );
}
