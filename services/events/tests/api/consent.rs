//! Security: nobody's standing or data changes because an organizer acted
//! alone. Each attack goes through nginx, as an attacker's would.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::json;

use crate::support::{at, json, open_event, Edge, Stack};

/// The back door to strikes: an ordinary committee member moves an event
/// people registered for into the past, so the after-event run would strike
/// them. Every time field is refused by name; a move forward still works,
/// and without participants a past date is the organizer's business.
#[tokio::test]
async fn an_event_with_participants_cannot_be_moved_into_the_past() {
    let stack = Stack::start().await;
    // Any member of a board writes its events.
    stack.group("cabin", "board").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let participant = stack.person("pia").await;
    let edge = Edge::start(&stack);
    let mut body = open_event("cabin", 10);
    body["can_cause_strikes"] = json!(true);
    let event = stack.event(&organizer.token, body.clone()).await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/events/{id}");
    let empty = stack.event(&organizer.token, body).await;
    json(
        edge.send(
            Method::POST,
            &format!("{path}/registrations"),
            &participant.token,
            json!({}),
        )
        .await,
        201,
    )
    .await;

    let yesterday = Utc::now() - Duration::days(1);
    let into_the_past = json!({
        "starts_at": at(yesterday),
        "ends_at": at(yesterday + Duration::hours(3)),
        "registration_opens_at": at(yesterday - Duration::days(5)),
        "registration_closes_at": at(yesterday - Duration::days(2)),
        "sign_off_deadline": at(yesterday - Duration::days(1)),
    });
    let refused = json(
        edge.send(
            Method::PATCH,
            &path,
            &organizer.token,
            into_the_past.clone(),
        )
        .await,
        422,
    )
    .await;
    for field in [
        "starts_at",
        "ends_at",
        "registration_closes_at",
        "sign_off_deadline",
    ] {
        assert!(
            refused["errors"][field][0]
                .as_str()
                .unwrap()
                .contains("past"),
            "{field}: {refused}"
        );
    }
    // One field alone is refused too: a sign-off deadline already passed
    // would hold participants to an event they can no longer leave.
    let locked_in = json(
        edge.send(
            Method::PATCH,
            &path,
            &organizer.token,
            json!({"sign_off_deadline": at(Utc::now() - Duration::minutes(10))}),
        )
        .await,
        422,
    )
    .await;
    assert!(
        locked_in["errors"]["sign_off_deadline"].is_array(),
        "{locked_in}"
    );
    let unchanged = json(
        edge.api(Method::GET, &path, &organizer.token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(unchanged["starts_at"], event["starts_at"]);
    assert_eq!(unchanged["sign_off_deadline"], event["sign_off_deadline"]);

    // Later is fine.
    let later = Utc::now() + Duration::days(20);
    let moved = json(
        edge.send(
            Method::PATCH,
            &path,
            &organizer.token,
            json!({"starts_at": at(later), "ends_at": at(later + Duration::hours(3))}),
        )
        .await,
        200,
    )
    .await;
    let starts: DateTime<Utc> = moved["starts_at"].as_str().unwrap().parse().unwrap();
    assert!((starts - later).num_seconds().abs() < 1, "{moved}");

    // An event nobody registered for may be dated back.
    let empty_path = format!("/events/{}", empty["id"].as_str().unwrap());
    json(
        edge.send(Method::PATCH, &empty_path, &organizer.token, into_the_past)
            .await,
        200,
    )
    .await;
    stack.stop().await;
}
