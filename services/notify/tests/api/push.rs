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
