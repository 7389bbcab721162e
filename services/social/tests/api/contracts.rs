//! social fills its event payloads in SQL on the hot paths; what it stores in
//! its outbox must read as the contracts notify and others parse.

use common::outbox::Envelope;
use contracts::{Event, SocialEvent};
use diesel::prelude::*;
use diesel::sql_types::Jsonb;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::spawn;

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = Jsonb)]
    payload: serde_json::Value,
}

#[tokio::test]
async fn payloads_built_in_sql_parse_as_their_contracts() {
    let p = spawn(true).await;
    let ann = p.person("ann").await;
    let bob = p.person("bob").await;

    // JSON API: a message, a follow and an unfollow.
    let posted = p
        .v1(Method::POST, "/messages", Some(&ann.token))
        .json(&json!({"text": "Hello \"world\" ☃"}))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::CREATED);
    for method in [Method::POST, Method::DELETE] {
        let status = p
            .v1(method, "/users/bob/follow", Some(&ann.token))
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success(), "{status}");
    }
    // Simulator API: a message and a follow.
    assert_eq!(p.register("carl").await.status(), StatusCode::NO_CONTENT);
    let sim_post = p
        .sim(Method::POST, "/msgs/carl")
        .body(json!({"content": "from the simulator"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(sim_post.status(), StatusCode::NO_CONTENT);
    let sim_follow = p
        .sim(Method::POST, "/fllws/carl")
        .body(json!({"follow": "ann"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(sim_follow.status(), StatusCode::NO_CONTENT);

    let mut conn = p.social_iso.db.connect();
    let stored: Vec<Stored> =
        diesel::sql_query("SELECT payload FROM outbox ORDER BY created_at, id")
            .load(&mut conn)
            .unwrap();
    let events: Vec<Event> = stored
        .into_iter()
        .map(|row| {
            let envelope: Envelope = serde_json::from_value(row.payload).unwrap();
            assert_eq!(envelope.producer, "social");
            envelope.parse().unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();

    let messages: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Social(SocialEvent::MessagePosted(m)) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(messages.len(), 2);
    let from_ann = messages
        .iter()
        .find(|m| m.author_username == "ann")
        .unwrap();
    assert_eq!(from_ann.text, "Hello \"world\" ☃");
    assert_eq!(from_ann.author_id, ann.id);
    assert!(messages
        .iter()
        .any(|m| m.author_username == "carl" && m.text == "from the simulator"));

    let follows: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Social(SocialEvent::UserFollowed(f)) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(follows.len(), 2);
    assert!(follows.iter().any(|f| f.follower_username == "ann"
        && f.followee_username == "bob"
        && f.followee_id == bob.id));
    assert!(follows
        .iter()
        .any(|f| f.follower_username == "carl" && f.followee_username == "ann"));

    let unfollows = events
        .iter()
        .filter(|e| matches!(e, Event::Social(SocialEvent::UserUnfollowed(f)) if f.follower_username == "ann"))
        .count();
    assert_eq!(unfollows, 1);
}
