//! Organizers' messages to their event's registered people, and who may see
//! who else is going.

use reqwest::Method;
use serde_json::json;

use crate::support::{json, open_event, refused, refused_with, Stack};
use contracts::{Event, EventsEvent};

#[tokio::test]
async fn organizers_write_to_participants_the_waiting_list_or_both() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, open_event("cabin", 1)).await;
    let id = event["id"].as_str().unwrap();
    let (ann, ann_token) = stack.made_up("ann").await;
    let (bob, bob_token) = stack.made_up("bob").await;
    json(stack.register(id, &ann_token).await, 201).await;
    json(stack.register(id, &bob_token).await, 201).await;
    let send = |token: &str, body: serde_json::Value| {
        stack
            .api(Method::POST, &format!("/events/{id}/messages"), Some(token))
            .json(&body)
            .send()
    };
    let message = |audience: &str| json!({"subject": " Bring a coat ", "body": "It is cold.", "audience": audience});
    for (audience, expected) in [
        ("confirmed", vec![ann]),
        ("waiting", vec![bob]),
        ("all", vec![ann, bob]),
    ] {
        let sent = json(send(&admin, message(audience)).await.unwrap(), 202).await;
        assert_eq!(sent["recipients"], expected.len());
        let published: Vec<_> = stack
            .published()
            .into_iter()
            .filter_map(|e| match e {
                Event::Events(EventsEvent::EventMessageSent(m)) => Some(m.0),
                _ => None,
            })
            .collect();
        let last = published.last().unwrap();
        let mut got = last.recipient_ids.clone();
        got.sort();
        let mut want = expected.clone();
        want.sort();
        assert_eq!(got, want, "{audience}");
        assert_eq!(last.subject, "Bring a coat");
        assert_eq!(last.sender_username, "root");
        assert_eq!(last.event_title, "Cabin trip");
    }
    // Only writers; each field checked.
    assert_eq!(
        send(&ann_token, message("all")).await.unwrap().status(),
        403
    );
    let bad = json(
        send(
            &admin,
            json!({"subject": "", "body": "x\u{0}", "audience": "everyone"}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    for field in ["subject", "body", "audience"] {
        assert!(bad["errors"].get(field).is_some(), "{field} in {bad}");
    }
    // A megabyte of text is refused whole, not cut.
    let huge = refused(
        send(
            &admin,
            json!({"subject": "Long", "body": "x".repeat(1 << 20), "audience": "all"}),
        )
        .await
        .unwrap(),
        400,
    )
    .await;
    assert!(huge.contains("too large"), "{huge}");
    let long = json(
        send(
            &admin,
            json!({"subject": "Long", "body": "x".repeat(20_001), "audience": "all"}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert!(
        long["errors"]["body"][0]
            .as_str()
            .unwrap()
            .contains("at most 20000"),
        "{long}"
    );
    json(stack.leave(id, &bob_token).await, 204).await;
    refused_with(
        send(&admin, message("waiting")).await.unwrap(),
        409,
        "nobody_in_audience",
    )
    .await;
    stack.stop().await;
}

#[tokio::test]
async fn only_those_who_share_their_registrations_see_who_else_shares() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, open_event("cabin", 3)).await;
    let id = event["id"].as_str().unwrap();
    let share = |token: String, on: bool| {
        let stack = &stack;
        async move {
            json(
                stack
                    .api(Method::PATCH, "/me/event-settings", Some(&token))
                    .json(&json!({"public_registrations": on}))
                    .send()
                    .await
                    .unwrap(),
                200,
            )
            .await;
        }
    };
    let (ann, ann_token) = stack.made_up("ann").await;
    let (_, bob_token) = stack.made_up("bob").await;
    let (_, cat_token) = stack.made_up("cat").await;
    let (_, dan_token) = stack.made_up("dan").await;
    share(ann_token.clone(), true).await;
    share(cat_token.clone(), true).await;
    for token in [&ann_token, &bob_token, &cat_token, &dan_token] {
        json(stack.register(id, token).await, 201).await;
    }
    let list = |token: Option<&str>| {
        stack
            .api(Method::GET, &format!("/events/{id}/participants"), token)
            .send()
    };
    // Cat shares: she sees Ann and herself; Bob is counted; Dan waits.
    let seen = json(list(Some(&cat_token)).await.unwrap(), 200).await;
    let names: Vec<&str> = seen["shown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ann", "cat"]);
    assert_eq!(seen["shown"][0]["user_id"], ann.to_string());
    assert_eq!(
        (seen["hidden"].as_i64(), seen["confirmed"].as_i64()),
        (Some(1), Some(3))
    );
    // Bob does not share: a count only.
    let counted = json(list(Some(&bob_token)).await.unwrap(), 200).await;
    assert_eq!(counted["shown"], json!([]));
    assert_eq!(counted["hidden"], 3);
    assert_eq!(list(None).await.unwrap().status(), 401);
    let missing = stack
        .api(
            Method::GET,
            &format!("/events/{}/participants", uuid::Uuid::new_v4()),
            Some(&cat_token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    stack.stop().await;
}
