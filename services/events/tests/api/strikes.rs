//! Strikes: who gives them, what counts as active, and what points do to
//! registration (delays, and no priority from 3 points).

use reqwest::Method;
use serde_json::json;

use crate::support::{json, open_event, refused_with, Stack};

#[tokio::test]
async fn managers_give_and_remove_strikes_and_points_take_priority_away() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    stack.group("members", "other").await;
    let admin = stack.admin.token.clone();
    let mut tap = testkit::bus::EventTap::bind(&stack.iso.exchange, "events.strike.given").await;
    let manager = stack
        .fixture
        .person_with("judge", &["strike_manager"], &[])
        .await;
    let member = stack.person("mem").await;
    stack.join(member.id, "members", "member").await;
    let mut body = open_event("cabin", 5);
    body["priority_pools"] = json!([["members"]]);
    body["registration_opens_at"] = json!(crate::support::at(
        chrono::Utc::now() - chrono::Duration::hours(13)
    ));
    let event = stack.event(&admin, body).await;
    let id = event["id"].as_str().unwrap();
    assert_eq!(
        json(stack.register(id, &member.token).await, 201).await["prioritized"],
        true
    );

    let give = |token: &str, body: serde_json::Value| {
        stack
            .api(Method::POST, "/strikes", Some(token))
            .json(&body)
            .send()
    };
    let strike = json!({"user_id": member.id, "kind": "no_show", "description": "did not come", "event_id": event["id"]});
    let (_, plain) = stack.made_up("plain").await;
    assert_eq!(give(&plain, strike.clone()).await.unwrap().status(), 403);
    assert_eq!(
        give(&member.token, strike.clone()).await.unwrap().status(),
        403
    );
    let bad = json(
        give(
            &admin,
            json!({"user_id": member.id, "kind": "rude", "description": ""}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert!(bad["errors"]["kind"][0]
        .as_str()
        .unwrap()
        .contains("no_show"));
    let given = json(give(&manager.token, strike).await.unwrap(), 201).await;
    assert_eq!(
        (given["points"].as_i64(), given["active"].as_bool()),
        (Some(2), Some(true))
    );
    let published = tap
        .next(std::time::Duration::from_secs(10))
        .await
        .expect("strike given");
    let contracts::Event::Events(contracts::EventsEvent::StrikeGiven(s)) =
        published.parse().unwrap()
    else {
        panic!("not a strike");
    };
    assert_eq!(
        (s.kind.as_str(), s.points, s.active_points),
        ("no_show", 2, 2)
    );
    assert_eq!(s.event_title.as_deref(), Some("Cabin trip"));
    let expected = events::domain::strikes::active_until(
        s.expires_at - chrono::Duration::days(20),
        chrono_tz::Europe::Oslo,
    );
    assert!(
        s.expires_at >= expected,
        "expires after 20 days or later across freezes"
    );

    // 2 points: still prioritized; a third point ends it, recomputed at once.
    let late = json(
        give(
            &admin,
            json!({"user_id": member.id, "kind": "late", "description": ""}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    let mine = json(stack.mine(id, &member.token).await, 200).await;
    assert_eq!(mine["prioritized"], false);
    let listed = json(
        stack
            .api(Method::GET, "/me/strikes", Some(&member.token))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(listed["total"], 2);
    let theirs = json(
        stack
            .api(
                Method::GET,
                &format!("/users/{}/strikes", member.id),
                Some(&manager.token),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(theirs["total"], 2);
    assert_eq!(
        stack
            .api(
                Method::GET,
                &format!("/users/{}/strikes", member.id),
                Some(&plain)
            )
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // Strikes are removed, never edited (405: the path takes only DELETE);
    // removing gives priority back.
    let late_id = late["id"].as_str().unwrap();
    assert_eq!(
        stack
            .api(Method::PATCH, &format!("/strikes/{late_id}"), Some(&admin))
            .send()
            .await
            .unwrap()
            .status(),
        405
    );
    assert_eq!(
        stack
            .api(Method::DELETE, &format!("/strikes/{late_id}"), Some(&plain))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        stack
            .api(
                Method::DELETE,
                &format!("/strikes/{late_id}"),
                Some(&manager.token)
            )
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        stack
            .api(
                Method::DELETE,
                &format!("/strikes/{late_id}"),
                Some(&manager.token)
            )
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let mine = json(stack.mine(id, &member.token).await, 200).await;
    assert_eq!(mine["prioritized"], true);
    stack.stop().await;
}

#[tokio::test]
async fn active_points_delay_registration_by_three_then_twelve_hours() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let opened = |hours: i64| {
        let mut body = open_event("cabin", 5);
        body["registration_opens_at"] = json!(crate::support::at(
            chrono::Utc::now() - chrono::Duration::hours(hours)
        ));
        body
    };
    let two_hours = stack.event(&admin, opened(2)).await;
    let four_hours = stack.event(&admin, opened(4)).await;
    let thirteen_hours = stack.event(&admin, opened(13)).await;
    let (ann, ann_token) = stack.made_up("ann").await;
    let (bob, bob_token) = stack.made_up("bob").await;
    for (user, kind) in [(ann, "late"), (bob, "no_show")] {
        json(
            stack
                .api(Method::POST, "/strikes", Some(&admin))
                .json(&json!({"user_id": user, "kind": kind, "description": ""}))
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
    }
    let id = |e: &serde_json::Value| e["id"].as_str().unwrap().to_owned();
    let delay = refused_with(
        stack.register(&id(&two_hours), &ann_token).await,
        403,
        "strike_delay",
    )
    .await;
    assert!(
        delay["detail"].as_str().unwrap().contains("3 hours"),
        "{delay}"
    );
    json(stack.register(&id(&four_hours), &ann_token).await, 201).await;
    let delay = refused_with(
        stack.register(&id(&four_hours), &bob_token).await,
        403,
        "strike_delay",
    )
    .await;
    assert!(
        delay["detail"].as_str().unwrap().contains("12 hours"),
        "{delay}"
    );
    json(stack.register(&id(&thirteen_hours), &bob_token).await, 201).await;
    // Organizers are not held back by strikes.
    json(
        stack
            .api(
                Method::PUT,
                &format!("/events/{}/registrations/{bob}", id(&two_hours)),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    stack.stop().await;
}
