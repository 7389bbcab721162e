//! social's copy of the platform's users follows auth through RabbitMQ.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::{json, Value};
use testkit::{EventTap, Isolation};

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = Text)]
    username: String,
    #[diesel(sql_type = Text)]
    email: String,
}

fn user(iso: &Isolation, id: &str) -> Option<Row> {
    diesel::sql_query("SELECT username, email FROM users WHERE id = $1::uuid")
        .bind::<Text, _>(id)
        .get_result(&mut iso.db.connect())
        .optional()
        .unwrap()
}

async fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn outcome_count(http: &reqwest::Client, port: u16, outcome: &str) -> u64 {
    let metrics = http
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    metrics
        .lines()
        .find(|l| {
            l.starts_with("consumer_messages_total")
                && l.contains(&format!("outcome=\"{outcome}\""))
        })
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn users_follow_auth_idempotently_and_in_order() {
    let platform = crate::support::spawn(true).await;
    let (auth, social_port, social_iso, auth_iso) = (
        &platform.auth,
        platform.social_port,
        &platform.social_iso,
        &platform.fixture.iso,
    );
    let mut tap = EventTap::bind(&auth_iso.exchange, "auth.user.registered").await;
    let http = reqwest::Client::new();

    let registered: Value = http
        .post(format!("{auth}/v1/register"))
        .json(&json!({"username": "Roger Histand", "email": "roger@example.org", "password": "password 1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = registered["id"].as_str().unwrap().to_owned();
    let copied = eventually("the registration in social", || user(social_iso, &id)).await;
    assert_eq!(
        copied,
        Row {
            username: "Roger Histand".into(),
            email: "roger@example.org".into()
        }
    );
    let registration = tap
        .next(Duration::from_secs(5))
        .await
        .expect("the event itself");

    let session: Value = http
        .post(format!("{auth}/v1/login"))
        .json(&json!({"username": "Roger Histand", "password": "password 1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    http.patch(format!("{auth}/v1/me"))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .json(&json!({"username": "Roger H"}))
        .send()
        .await
        .unwrap();
    eventually("the rename in social", || {
        user(social_iso, &id).filter(|u| u.username == "Roger H")
    })
    .await;

    // The same event again: a duplicate, no effect.
    testkit::bus::publish(&auth_iso.exchange, &registration).await;
    testkit::eventually("the replay consumed", || async {
        outcome_count(&http, social_port, "duplicate").await >= 1
    })
    .await;
    assert_eq!(user(social_iso, &id).unwrap().username, "Roger H");

    // A different event that is older than what social has: ignored.
    let mut stale = registration.clone();
    stale.id = uuid::Uuid::new_v4();
    stale.data["username"] = json!("Stale Name");
    let handled_before = outcome_count(&http, social_port, "handled").await;
    testkit::bus::publish(&auth_iso.exchange, &stale).await;
    testkit::eventually("the stale event consumed", || async {
        outcome_count(&http, social_port, "handled").await > handled_before
    })
    .await;
    assert_eq!(user(social_iso, &id).unwrap().username, "Roger H");

    // An event dated far in the future (a wrong clock, or forged) counts as
    // happening now, so it cannot freeze the copy against later updates.
    let mut future = registration.clone();
    future.id = uuid::Uuid::new_v4();
    future.occurred_at = "2100-01-01T00:00:00Z".parse().unwrap();
    future.data["username"] = json!("From The Future");
    testkit::bus::publish(&auth_iso.exchange, &future).await;
    eventually("the future-dated event applied", || {
        user(social_iso, &id).filter(|u| u.username == "From The Future")
    })
    .await;
    let renamed = http
        .patch(format!("{auth}/v1/me"))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .json(&json!({"username": "Roger Now"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200, "{:?}", renamed.text().await);
    eventually("a later rename still applied", || {
        user(social_iso, &id).filter(|u| u.username == "Roger Now")
    })
    .await;
}
