//! Live push over WebSockets, across two instances through Redis.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{next_json, Instance, Person, Socket, Stack};

async fn connect(instance: &Instance, who: &Person) -> Socket {
    let url = format!(
        "ws://127.0.0.1:{}/ws?access_token={}",
        instance.port, who.token
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let ready = next_json(&mut socket).await;
    assert_eq!(ready["type"], "ready");
    socket
}

#[tokio::test]
async fn notifications_reach_sockets_on_every_instance_as_they_are_stored() {
    let stack = Stack::new(None).await;
    let one = stack.instance().await;
    let two = stack.instance().await;
    let ann = stack.person("ann").await;
    stack.wait_for(&one, &ann, 1).await;
    let mut on_one = connect(&one, &ann).await;
    let mut on_two = connect(&two, &ann).await;

    // Both instances consume the queue, so each stores some of these; both
    // sockets must still get all of them.
    for n in 0..6 {
        stack
            .publish("social.user.followed", json!({"follower_id": uuid::Uuid::new_v4(),
                "follower_username": format!("fan {n}"), "followee_id": ann.id, "followee_username": "ann"}))
            .await;
    }
    for socket in [&mut on_one, &mut on_two] {
        let mut seen = Vec::new();
        for _ in 0..6 {
            let pushed = next_json(socket).await;
            assert_eq!(pushed["type"], "notification");
            assert_eq!(pushed["notification"]["kind"], "new_follower");
            seen.push(pushed["notification"]["title"].as_str().unwrap().to_owned());
        }
        seen.sort();
        assert_eq!(
            seen,
            (0..6)
                .map(|n| format!("fan {n} follows you"))
                .collect::<Vec<_>>()
        );
    }
    let _ = on_one.close(None).await;
    let _ = on_two.close(None).await;
    one.stop().await;
    two.stop().await;
}

/// Each instance reports its open sockets (`websocket_connections`), down
/// again when they close.
#[tokio::test]
async fn open_sockets_are_a_gauge() {
    let stack = Stack::new(None).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    let bob = stack.person("bob").await;
    stack.wait_for(&notify, &ann, 1).await;
    let gauge = || async {
        let metrics = testkit::service::metrics(&notify.url).await;
        metrics
            .lines()
            .find(|l| l.starts_with(r#"platform_gauge{name="websocket_connections""#))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<i64>().ok())
    };
    let mut first = connect(&notify, &ann).await;
    let mut second = connect(&notify, &ann).await;
    let third = connect(&notify, &bob).await;
    assert_eq!(gauge().await, Some(3));
    let _ = first.close(None).await;
    let _ = second.close(None).await;
    drop(third);
    testkit::eventually("the gauge counts the sockets down", || async {
        gauge().await == Some(0)
    })
    .await;
    notify.stop().await;
}

#[tokio::test]
async fn sockets_need_a_valid_token_and_silent_ones_are_closed() {
    let stack = Stack::new(None).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    for url in [
        format!("ws://127.0.0.1:{}/ws", notify.port),
        format!("ws://127.0.0.1:{}/ws?access_token=forged", notify.port),
    ] {
        let refused = tokio_tungstenite::connect_async(url).await;
        let status = match refused {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                response.status().as_u16()
            }
            other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
        };
        assert_eq!(status, 401);
    }
    // A client that stops answering pings (heartbeat 200 ms in tests) is closed.
    let mut silent = connect(&notify, &ann).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut closed = false;
    while let Ok(Some(message)) = tokio::time::timeout(Duration::from_secs(5), silent.next()).await
    {
        match message {
            Ok(Message::Close(_)) | Err(_) => {
                closed = true;
                break;
            }
            Ok(_) => continue,
        }
    }
    assert!(closed, "the server closed the silent socket");
    notify.stop().await;
}

#[tokio::test]
async fn without_redis_pushes_still_reach_sockets_on_the_storing_instance() {
    let stack = Stack::new(None).await;
    let mut settings = stack.settings();
    settings.common.redis_url =
        secrecy::SecretString::from(format!("redis://127.0.0.1:{}", testkit::smtp::free_port()));
    let notify = stack.instance_with(settings).await;
    let ann = stack.person("ann").await;
    stack.wait_for(&notify, &ann, 1).await;
    let mut socket = connect(&notify, &ann).await;
    stack
        .publish(
            "social.user.followed",
            json!({"follower_id": uuid::Uuid::new_v4(),
            "follower_username": "zed", "followee_id": ann.id, "followee_username": "ann"}),
        )
        .await;
    let pushed = next_json(&mut socket).await;
    assert_eq!(pushed["notification"]["title"], "zed follows you");
    notify.stop().await;
}

#[tokio::test]
async fn the_service_answers_its_operational_routes() {
    let stack = Stack::new(None).await;
    let notify = stack.instance().await;
    testkit::assert_operational_routes(notify.port).await;
    testkit::assert_documented_routes_exist(notify.port).await;
    let openapi: Value = stack
        .http
        .get(format!("{}/openapi.json", notify.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(openapi["paths"].get("/v1/notifications").is_some());
    notify.stop().await;
}

/// Texts a socket received within `wait` (reading also answers the server's
/// pings, which keeps the socket alive), and whether it was closed.
async fn read_for(socket: &mut Socket, wait: Duration) -> (Vec<Value>, bool) {
    let until = tokio::time::Instant::now() + wait;
    let mut texts = Vec::new();
    loop {
        match tokio::time::timeout_at(until, socket.next()).await {
            Err(_) => return (texts, false),
            Ok(Some(Ok(Message::Text(text)))) => texts.push(serde_json::from_str(&text).unwrap()),
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return (texts, true),
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// A socket lives as long as its token: it closes when the token expires,
/// unless the client sent a fresh one first.
#[tokio::test]
async fn a_socket_closes_when_its_token_expires_unless_renewed() {
    use futures_util::SinkExt;
    let stack = Stack::with_auth(None, |auth| auth.access_ttl_secs = 4).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    let mut renewed = connect(&notify, &ann).await;
    let mut lasting = Some(connect(&notify, &ann).await);
    let mut lasting_was_told = false;

    // For 9 s (more than twice the token's life) one socket is renewed every
    // second; the other never is.
    for _ in 0..9 {
        let fresh = stack.fixture.login(ann.clone()).await.token;
        let renewal = json!({"type": "token", "access_token": fresh}).to_string();
        renewed.send(Message::Text(renewal.into())).await.unwrap();
        // Both sockets are read the whole second, so both answer the pings.
        let other = async {
            match lasting.as_mut() {
                Some(socket) => Some(read_for(socket, Duration::from_secs(1)).await),
                None => None,
            }
        };
        let ((texts, closed), other) =
            tokio::join!(read_for(&mut renewed, Duration::from_secs(1)), other);
        assert!(!closed, "the renewed socket stays open");
        assert!(texts.iter().all(|t| t["type"] != "expired"), "{texts:?}");
        assert!(
            texts.iter().any(|t| t["type"] == "token_accepted"),
            "{texts:?}"
        );
        if let Some((texts, closed)) = other {
            lasting_was_told |= texts.iter().any(|t| t["type"] == "expired");
            if closed {
                lasting = None;
            }
        }
    }
    assert!(lasting_was_told, "the socket was told its token expired");
    assert!(
        lasting.is_none(),
        "the socket without a fresh token was closed"
    );

    // A token of someone else does not renew a socket.
    let bob = stack.person("bob").await;
    let foreign = json!({"type": "token", "access_token": bob.token}).to_string();
    renewed.send(Message::Text(foreign.into())).await.unwrap();
    let (texts, _) = read_for(&mut renewed, Duration::from_secs(1)).await;
    assert!(texts.iter().any(|t| t["type"] == "error"), "{texts:?}");
    let _ = renewed.close(None).await;
    notify.stop().await;
}
