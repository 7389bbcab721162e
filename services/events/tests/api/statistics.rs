//! Organizers' figures for an event, and the participant list filtered by
//! allergies.

use chrono::{Duration, Utc};
use common::clock::{ManualClock, SharedClock};
use reqwest::Method;
use serde_json::json;

use crate::support::{json, open_event, Stack};

#[tokio::test]
async fn organizers_see_places_attendance_groups_allergies_and_photo_consent() {
    let clock = ManualClock::new(Utc::now());
    let stack = Stack::start_with_clock(SharedClock::manual(&clock)).await;
    stack.group("cabin", "committee").await;
    stack.group("informatics", "study").await;
    stack.group("board", "board").await;
    stack.group("secret-club", "private").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, open_event("cabin", 3)).await;
    let id = event["id"].as_str().unwrap();
    let ann = stack.person("ann").await;
    let bob = stack.person("bob").await;
    stack.join(ann.id, "informatics", "member").await;
    stack.join(ann.id, "board", "member").await;
    stack.join(ann.id, "secret-club", "member").await;
    stack.join(bob.id, "informatics", "member").await;
    let (_, cat) = stack.made_up("cat").await;
    let (_, dan) = stack.made_up("dan").await;
    let settings = |token: String, body: serde_json::Value| {
        let stack = &stack;
        async move {
            json(
                stack
                    .api(Method::PATCH, "/me/event-settings", Some(&token))
                    .json(&body)
                    .send()
                    .await
                    .unwrap(),
                200,
            )
            .await;
        }
    };
    settings(
        ann.token.clone(),
        json!({"allergies": "nuts", "photo_consent": true}),
    )
    .await;
    settings(cat.clone(), json!({"allergies": "  "})).await;
    settings(dan.clone(), json!({"allergies": "gluten"})).await;
    for token in [&ann.token, &bob.token, &cat, &dan] {
        json(stack.register(id, token).await, 201).await;
    }
    json(
        stack
            .api(
                Method::POST,
                &format!("/events/{id}/registrations/{}/check-in", ann.id),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;

    let stats = |token: &str| {
        stack
            .api(
                Method::GET,
                &format!("/events/{id}/statistics"),
                Some(token),
            )
            .send()
    };
    // While registration is open, the list is not final: no health data.
    let open = json(stats(&admin).await.unwrap(), 200).await;
    assert_eq!(open["allergies"], json!([]), "{open}");
    assert_eq!(open["photo_consent_declined"], json!([]), "{open}");
    // Registration closed (in 5 days): organizers see them.
    clock.set(Utc::now() + Duration::days(6));
    let figures = json(stats(&admin).await.unwrap(), 200).await;
    assert_eq!(figures["confirmed"], 3);
    assert_eq!(figures["waiting"], 1);
    assert_eq!(figures["attended"], 1);
    assert!(figures["no_shows"].is_null(), "not ended yet");
    assert_eq!(
        figures["by_study_programme"],
        json!([{"slug": "informatics", "name": "informatics", "confirmed": 2}])
    );
    assert_eq!(
        figures["by_group"],
        json!([{"slug": "board", "name": "board", "confirmed": 1}])
    );
    assert_eq!(
        figures["allergies"],
        json!([{"user_id": ann.id, "username": "ann", "allergies": "nuts"}]),
        "participants only; blank is none"
    );
    assert_eq!(figures["photo_consent_declined"], json!(["bob", "cat"]));
    assert_eq!(stats(&ann.token).await.unwrap().status(), 403);
    assert_eq!(
        stack
            .api(Method::GET, &format!("/events/{id}/statistics"), None)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let listed = |filter: &str| {
        stack
            .api(
                Method::GET,
                &format!("/events/{id}/registrations?{filter}"),
                Some(&admin),
            )
            .send()
    };
    let with = json(listed("has_allergies=true").await.unwrap(), 200).await;
    let names: Vec<&str> = with["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ann", "dan"]);
    let without = json(
        listed("has_allergies=false&sort=-username").await.unwrap(),
        200,
    )
    .await;
    let names: Vec<&str> = without["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cat", "bob"]);
    assert_eq!(listed("has_allergies=maybe").await.unwrap().status(), 400);
    stack.stop().await;
}
