//! End to end through the real nginx: a follow made in social reaches the
//! followed person's WebSocket on `notify.<BASE_DOMAIN>/ws`, by way of
//! social's outbox, RabbitMQ, notify's consumer and Redis.

use serde_json::Value;
use social::settings::SocialSettings;
use testkit::{Isolation, Nginx};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::support::{next_json, Stack};

/// Social on the stack's exchange, with the API client it uses to reach auth.
async fn spawn_social(stack: &Stack) -> (Isolation, testkit::Spawned) {
    let client = {
        let mut conn = stack.fixture.iso.db.connect();
        let wanted = auth::domain::clients::NewClient {
            name: "social".into(),
            scopes: vec!["users:provision".into(), "users:read".into()],
        };
        auth::domain::clients::create(&mut conn, &wanted, None).unwrap()
    };
    let mut iso = Isolation::of::<social::Social>();
    iso.exchange = stack.fixture.iso.exchange.clone();
    let mut common = iso.settings("social");
    common.jwks_url = stack.fixture.jwks_url();
    let settings = SocialSettings::for_tests(
        common,
        &stack.auth,
        &client.client_id.to_string(),
        &client.client_secret,
    );
    let social = testkit::spawn::<social::Social>(&iso, settings).await;
    (iso, social)
}

#[tokio::test]
async fn a_follow_in_social_is_pushed_to_the_followed_persons_socket_through_nginx() {
    let stack = Stack::new(None).await;
    let notify = stack.instance().await;
    let (_social_iso, social) = spawn_social(&stack).await;
    let social_port = social.port;
    let nginx = Nginx::start([stack.auth_port, social_port, 0, notify.port]);

    let edge = nginx.url();
    let through_nginx = |username| stack.person_via(&edge, Some("auth.localhost"), username);
    let ann = through_nginx("ann").await.token;
    let bob = through_nginx("bob").await.token;

    let mut request = format!("ws://127.0.0.1:{}/ws?access_token={ann}", nginx.port)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("host", "notify.localhost".parse().unwrap());
    let (mut socket, upgraded) = tokio_tungstenite::connect_async(request).await.unwrap();
    let request_id = upgraded
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(next_json(&mut socket).await["type"], "ready");

    let followed = stack
        .http
        .post(format!("{}/v1/users/ann/follow", nginx.url()))
        .header("host", "social.localhost")
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert!(followed.status().is_success(), "{followed:?}");

    let pushed = next_json(&mut socket).await;
    assert_eq!(pushed["type"], "notification", "{pushed}");
    assert_eq!(pushed["notification"]["kind"], "new_follower", "{pushed}");
    assert_eq!(
        pushed["notification"]["title"], "bob follows you",
        "{pushed}"
    );

    // The same notification is listed for ann through nginx, and only for her.
    let listed: Value = stack
        .http
        .get(format!("{}/v1/notifications?unread=true", nginx.url()))
        .header("host", "notify.localhost")
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"new_follower"), "{listed}");

    // nginx logs the socket's request when it ends, without its query at all.
    socket.close(None).await.unwrap();
    testkit::eventually("the socket's line in nginx's access log", || async {
        nginx.access_log().contains("GET /ws HTTP/1.1")
    })
    .await;
    let log = nginx.access_log();
    assert!(log.contains("notify.localhost"), "{log}");
    // The socket kept nginx's request id (nginx logged the id notify answered with).
    assert!(
        log.lines()
            .any(|l| l.contains("GET /ws HTTP/1.1") && l.ends_with(&request_id)),
        "{request_id} on the socket's line:\n{log}"
    );
    assert!(!log.contains(&ann), "the access token was logged:\n{log}");
    notify.stop().await;
}
