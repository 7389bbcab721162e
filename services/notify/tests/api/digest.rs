//! The daily digest: at 12:00 Oslo time, once per day, with two instances and restarts.

use std::time::Duration;

use serde_json::json;

use crate::support::{mails, oslo, Stack};

#[tokio::test]
async fn the_digest_goes_out_at_noon_in_oslo_exactly_once_per_day() {
    let sink = testkit::SmtpSink::start();
    let stack = Stack::new(Some(sink.url())).await;
    let one = stack.instance().await;
    let two = stack.instance().await;
    let ann = stack.person("ann").await;
    let bob = stack.person("bob").await;
    let cid = stack.person("cid").await;
    stack.wait_for(&one, &cid, 1).await;
    // Welcome mails: 3. Bob reads his; Cid turns the digest off.
    let welcomes = mails(&sink, 3).await.len();
    stack
        .http
        .post(format!("{}/v1/notifications/read-all", one.url))
        .bearer_auth(&bob.token)
        .send()
        .await
        .unwrap();
    stack
        .http
        .put(format!("{}/v1/notification-settings", two.url))
        .bearer_auth(&cid.token)
        .json(&json!({"daily_digest": false}))
        .send()
        .await
        .unwrap();

    // 11:59 in Oslo: nothing yet.
    stack.clock.set(oslo(11, 59, 23));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sink.messages().len(), welcomes);

    // 12:00: one digest, for Ann only, though both instances look at the clock.
    stack.clock.set(oslo(12, 0, 23));
    let received = mails(&sink, welcomes + 1).await;
    let digest = received.last().unwrap();
    assert!(
        digest.contains("X-Envelope-To: ann@example.org"),
        "{digest}"
    );
    assert!(
        digest.contains("You have 1 unread notification"),
        "{digest}"
    );
    assert!(digest.contains("Welcome to Test platform, ann!"));

    // Later that day, and after a restart, nothing more.
    stack.clock.set(oslo(16, 30, 23));
    one.stop().await;
    let three = stack.instance().await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        sink.messages().len(),
        welcomes + 1,
        "once per day: {:?}",
        sink.messages().len()
    );

    // The next day at noon: again exactly one.
    stack.clock.set(oslo(12, 0, 24));
    mails(&sink, welcomes + 2).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), welcomes + 2);
    let _ = ann;
    two.stop().await;
    three.stop().await;
}
