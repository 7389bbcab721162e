//! My event settings and my events.

use chrono::{Duration, Utc};
use diesel::RunQueryDsl;
use reqwest::Method;
use serde_json::json;

use crate::support::{at, json, open_event, Stack};

#[tokio::test]
async fn my_settings_start_off_and_keep_what_i_set() {
    let stack = Stack::start().await;
    let (_, ann) = stack.made_up("ann").await;
    let fresh = stack.token_for(uuid::Uuid::new_v4(), "fresh", &[]);
    let defaults = json(
        stack
            .api(Method::GET, "/me/event-settings", Some(&fresh))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        defaults,
        json!({"accepts_event_rules": false, "public_registrations": false, "allergies": "", "photo_consent": false})
    );
    let changed = json(
        stack
            .api(Method::PATCH, "/me/event-settings", Some(&ann))
            .json(&json!({"allergies": " gluten ", "photo_consent": true}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(changed["allergies"], "gluten");
    assert_eq!(
        changed["accepts_event_rules"], true,
        "untouched fields stay"
    );
    assert_eq!(changed["photo_consent"], true);
    assert_eq!(
        stack
            .api(Method::GET, "/me/event-settings", None)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    stack.stop().await;
}

#[tokio::test]
async fn my_events_upcoming_by_start_past_newest_first_waiting_included() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let now = Utc::now();
    let at_day = |days: i64, title: &str, capacity: i32| {
        let mut body = open_event("cabin", capacity);
        body["title"] = json!(title);
        body["starts_at"] = json!(at(now + Duration::days(days)));
        body["ends_at"] = json!(at(now + Duration::days(days) + Duration::hours(2)));
        body["registration_closes_at"] = json!(at(now + Duration::hours(1)));
        body["sign_off_deadline"] = json!(at(now + Duration::hours(1)));
        body
    };
    let (_, ann) = stack.made_up("ann").await;
    let (_, bob) = stack.made_up("bob").await;
    let later = stack.event(&admin, at_day(9, "Later", 5)).await;
    let sooner = stack.event(&admin, at_day(3, "Sooner", 1)).await;
    let old = stack.event(&admin, at_day(2, "Old", 5)).await;
    let older = stack.event(&admin, at_day(2, "Older", 5)).await;
    json(
        stack.register(sooner["id"].as_str().unwrap(), &bob).await,
        201,
    )
    .await;
    for event in [&later, &sooner, &old, &older] {
        json(
            stack.register(event["id"].as_str().unwrap(), &ann).await,
            201,
        )
        .await;
    }
    // Two of them took place (moved into the past in the database).
    let mut conn = stack.db();
    for (event, days_ago) in [(&old, 2), (&older, 5)] {
        diesel::sql_query(format!(
            "UPDATE events SET starts_at = now() - interval '{days_ago} days', ends_at = now() - interval '{days_ago} days' + interval '2 hours' WHERE id = '{}'",
            event["id"].as_str().unwrap()
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let upcoming = json(
        stack
            .api(Method::GET, "/me/events", Some(&ann))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let rows: Vec<(&str, &str)> = upcoming["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["event"]["title"].as_str().unwrap(),
                i["registration"]["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [("Sooner", "waitlisted"), ("Later", "confirmed")]);
    assert_eq!(upcoming["items"][0]["registration"]["position"], 1);
    let past = json(
        stack
            .api(Method::GET, "/me/events?past=true", Some(&ann))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let titles: Vec<&str> = past["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["event"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Old", "Older"]);
    let bobs = json(
        stack
            .api(Method::GET, "/me/events", Some(&bob))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(bobs["total"], 1);
    stack.stop().await;
}
