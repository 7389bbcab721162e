//! A person registering and leaving: places, the waiting list in order, each
//! refusal naming its rule, priority swaps and the strike for leaving late.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

use crate::support::{at, json, open_event, refused, refused_with, Stack};
use events::domain::engine;

#[tokio::test]
async fn free_places_first_then_the_waiting_list_in_order() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let event = stack
        .event(&stack.admin.token, open_event("cabin", 2))
        .await;
    let id = event["id"].as_str().unwrap();
    let mut people = Vec::new();
    for name in ["ann", "bob", "cid", "dan"] {
        people.push(stack.made_up(name).await);
    }
    let mut answers = Vec::new();
    for (_, token) in &people {
        answers.push(json(stack.register(id, token).await, 201).await);
    }
    assert_eq!(answers[0]["status"], "confirmed");
    assert_eq!(answers[0]["reason"], engine::FREE_PLACE);
    assert_eq!(answers[1]["status"], "confirmed");
    assert_eq!(answers[2]["status"], "waitlisted");
    assert_eq!(answers[2]["position"], 1);
    assert_eq!(answers[2]["reason"], engine::FULL);
    assert_eq!(answers[3]["position"], 2);
    assert_eq!(answers[3]["prioritized"], false);
    stack.assert_invariants(id);

    // What went on the bus says the same, in the contracts' words.
    let mut published: Vec<(String, Option<i64>, uuid::Uuid)> = stack
        .published()
        .into_iter()
        .filter_map(|event| match event {
            contracts::Event::Events(contracts::EventsEvent::RegistrationConfirmed(r)) => Some(r.0),
            contracts::Event::Events(contracts::EventsEvent::RegistrationWaitlisted(r)) => {
                Some(r.0)
            }
            _ => None,
        })
        .map(|r| {
            assert_eq!(
                (r.event_title.as_str(), r.event_location.as_str()),
                ("Cabin trip", "The cabin")
            );
            assert!(r.sign_off_deadline.is_some());
            (r.status.clone(), r.position, r.user_id)
        })
        .collect();
    published.sort_by_key(|(_, position, _)| *position);
    let expected: Vec<(String, Option<i64>, uuid::Uuid)> = vec![
        ("confirmed".into(), None, people[0].0),
        ("confirmed".into(), None, people[1].0),
        ("waitlisted".into(), Some(1), people[2].0),
        ("waitlisted".into(), Some(2), people[3].0),
    ];
    let mut expected_sorted = expected.clone();
    expected_sorted.sort_by_key(|(_, position, _)| *position);
    assert_eq!(published.len(), 4);
    for row in &expected_sorted {
        assert!(published.contains(row), "{row:?} in {published:?}");
    }

    refused_with(
        stack.register(id, &people[0].1).await,
        409,
        "already_registered",
    )
    .await;

    // ann leaves before the deadline: cid, first in line, gets the place; dan moves up.
    assert_eq!(stack.leave(id, &people[0].1).await.status(), 204);
    let cid = json(stack.mine(id, &people[2].1).await, 200).await;
    assert_eq!(cid["status"], "confirmed");
    assert_eq!(cid["reason"], engine::PROMOTED);
    let dan = json(stack.mine(id, &people[3].1).await, 200).await;
    assert_eq!(dan["position"], 1);

    // Operators see the same on the business dashboard.
    let metrics = testkit::service::metrics(&stack.events.url).await;
    for line in [
        r#"business_events_total{kind="event_signups",service="events"} 4"#,
        r#"business_events_total{kind="event_signups_waiting",service="events"} 2"#,
        r#"business_events_total{kind="event_signoffs",service="events"} 1"#,
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    let gone = refused(stack.mine(id, &people[0].1).await, 404).await;
    assert!(gone.contains("not registered"), "{gone}");
    // Waiting-list entries may always leave.
    assert_eq!(stack.leave(id, &people[3].1).await.status(), 204);
    let listed = json(
        stack
            .api(Method::GET, &format!("/events/{id}"), None)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        (
            listed["confirmed_count"].as_i64(),
            listed["waiting_count"].as_i64()
        ),
        (Some(2), Some(0))
    );
    stack.assert_invariants(id);
    stack.stop().await;
}

#[tokio::test]
async fn each_refusal_names_its_rule() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let now = Utc::now();
    let admin = stack.admin.token.clone();
    let (_, ann) = stack.made_up("ann").await;

    assert_eq!(
        stack
            .register(&uuid::Uuid::new_v4().to_string(), &ann)
            .await
            .status(),
        404
    );
    let open = stack.event(&admin, open_event("cabin", 5)).await;
    let open_id = open["id"].as_str().unwrap();
    assert_eq!(
        stack
            .api(
                Method::POST,
                &format!("/events/{open_id}/registrations"),
                None
            )
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    // Rule 1: the event rules must be accepted.
    let (stranger_id, _) = stack.made_up("stranger").await;
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "DELETE FROM event_settings WHERE user_id = '{stranger_id}'"
        )),
        &mut stack.db(),
    )
    .unwrap();
    let stranger = stack.token_for(stranger_id, "stranger", &[]);
    refused_with(
        stack.register(open_id, &stranger).await,
        400,
        "accepts_event_rules",
    )
    .await;

    // Rule 1: not before the opening, answered from memory: once the opening
    // was read, the event can vanish from the database and the early press is
    // still refused for the opening, not as unknown.
    let mut early = open_event("cabin", 5);
    early["registration_opens_at"] = json!(at(now + Duration::hours(1)));
    let early = stack.event(&admin, early).await;
    let early_id = early["id"].as_str().unwrap();
    refused_with(
        stack.register(early_id, &ann).await,
        403,
        "registration_not_open",
    )
    .await;
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!("DELETE FROM events WHERE id = '{early_id}'")),
        &mut stack.db(),
    )
    .unwrap();
    // Answered from memory: the event row is gone.
    refused_with(
        stack.register(early_id, &ann).await,
        403,
        "registration_not_open",
    )
    .await;

    // Rule 3: sign-up off, closed, the window passed, only prioritized.
    let mut off = open_event("cabin", 5);
    for field in [
        "registration_opens_at",
        "registration_closes_at",
        "sign_off_deadline",
    ] {
        off[field] = json!(null);
    }
    off["sign_up"] = json!(false);
    let off = stack.event(&admin, off).await;
    refused_with(
        stack.register(off["id"].as_str().unwrap(), &ann).await,
        403,
        "sign_up_off",
    )
    .await;
    let mut closed = open_event("cabin", 5);
    closed["closed"] = json!(true);
    let closed = stack.event(&admin, closed).await;
    refused_with(
        stack.register(closed["id"].as_str().unwrap(), &ann).await,
        403,
        "event_closed",
    )
    .await;
    let mut past = open_event("cabin", 5);
    past["registration_opens_at"] = json!(at(now - Duration::hours(3)));
    past["registration_closes_at"] = json!(at(now - Duration::hours(1)));
    past["sign_off_deadline"] = json!(at(now - Duration::hours(1)));
    let past = stack.event(&admin, past).await;
    refused_with(
        stack.register(past["id"].as_str().unwrap(), &ann).await,
        403,
        "registration_closed",
    )
    .await;
    let mut only = open_event("cabin", 5);
    only["only_prioritized"] = json!(true);
    only["priority_pools"] = json!([["cabin"]]);
    let only = stack.event(&admin, only).await;
    refused_with(
        stack.register(only["id"].as_str().unwrap(), &ann).await,
        403,
        "only_prioritized",
    )
    .await;
    stack.stop().await;
}

#[tokio::test]
async fn a_prioritized_member_takes_the_latest_unprioritized_place() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    stack.group("members", "other").await;
    let mut tap =
        testkit::bus::EventTap::bind(&stack.iso.exchange, "events.registration.demoted").await;
    let mut body = open_event("cabin", 2);
    body["priority_pools"] = json!([["members"]]);
    let event = stack.event(&stack.admin.token, body).await;
    let id = event["id"].as_str().unwrap();
    assert_eq!(event["priority_pools"], json!([["members"]]));
    let (_, ann) = stack.made_up("ann").await;
    let (bob_id, bob) = stack.made_up("bob").await;
    let cid = stack.person("cid").await;
    let dan = stack.person("dan").await;
    let eve = stack.person("eve").await;
    for member in [&cid, &dan, &eve] {
        stack.join(member.id, "members", "member").await;
    }
    assert_eq!(
        json(stack.register(id, &ann).await, 201).await["status"],
        "confirmed"
    );
    assert_eq!(
        json(stack.register(id, &bob).await, 201).await["status"],
        "confirmed"
    );
    // cid is prioritized: bob, the latest non-prioritized, moves to the waiting list.
    let cid_answer = json(stack.register(id, &cid.token).await, 201).await;
    assert_eq!(cid_answer["status"], "confirmed");
    assert_eq!(cid_answer["prioritized"], true);
    assert_eq!(cid_answer["reason"], engine::SWAPPED_IN);
    let bob_now = json(stack.mine(id, &bob).await, 200).await;
    assert_eq!(bob_now["status"], "waitlisted");
    assert_eq!(bob_now["reason"], engine::SWAPPED_OUT);
    assert_eq!(bob_now["position"], 1);
    let demoted = tap
        .next(std::time::Duration::from_secs(10))
        .await
        .expect("a demotion event");
    let contracts::Event::Events(contracts::EventsEvent::RegistrationDemoted(d)) =
        demoted.parse().unwrap()
    else {
        panic!("not a demotion");
    };
    assert_eq!(
        (d.user_id, d.cause.as_str(), d.position),
        (bob_id, "priority_swap", Some(1))
    );
    assert_eq!(d.event_location, "The cabin");
    // dan takes ann's place; eve finds only prioritized participants and waits,
    // ahead of the non-prioritized, who keep their registration order.
    assert_eq!(
        json(stack.register(id, &dan.token).await, 201).await["status"],
        "confirmed"
    );
    let eve_answer = json(stack.register(id, &eve.token).await, 201).await;
    assert_eq!(eve_answer["status"], "waitlisted");
    assert_eq!(eve_answer["reason"], engine::FULL_OF_PRIORITIZED);
    assert_eq!(eve_answer["position"], 1);
    for (token, position) in [(&ann, 2), (&bob, 3)] {
        let now = json(stack.mine(id, token).await, 200).await;
        assert_eq!(now["position"], position, "{now}");
    }
    stack.assert_invariants(id);
    stack.stop().await;
}

#[tokio::test]
async fn leaving_after_the_deadline_costs_one_strike_and_near_the_start_is_refused() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let now = Utc::now();
    let admin = stack.admin.token.clone();
    let late = |starts_in: Duration, strikes: bool, enforces: bool| {
        let mut body = open_event("cabin", 1);
        body["starts_at"] = json!(at(now + starts_in));
        body["ends_at"] = json!(at(now + starts_in + Duration::hours(3)));
        body["registration_opens_at"] = json!(at(now - Duration::hours(2)));
        body["registration_closes_at"] = json!(at(now + starts_in - Duration::minutes(30)));
        body["sign_off_deadline"] = json!(at(now - Duration::hours(1)));
        body["can_cause_strikes"] = json!(strikes);
        body["enforces_previous_strikes"] = json!(enforces);
        body
    };
    let my_strikes = |token: String| {
        let stack = &stack;
        async move {
            json(
                stack
                    .api(Method::GET, "/me/strikes", Some(&token))
                    .send()
                    .await
                    .unwrap(),
                200,
            )
            .await
        }
    };
    let (_, ann) = stack.made_up("ann").await;
    let (_, bob) = stack.made_up("bob").await;
    let lenient = stack
        .event(&admin, late(Duration::hours(5), true, false))
        .await;
    let id = lenient["id"].as_str().unwrap();
    json(stack.register(id, &ann).await, 201).await;
    assert_eq!(
        json(stack.register(id, &bob).await, 201).await["status"],
        "waitlisted"
    );
    assert_eq!(stack.leave(id, &ann).await.status(), 204);
    let strikes = my_strikes(ann.clone()).await;
    assert_eq!(strikes["total"], 1);
    assert_eq!(strikes["items"][0]["kind"], "past_deadline");
    assert_eq!(strikes["items"][0]["points"], 1);
    assert_eq!(strikes["items"][0]["active"], true);
    assert_eq!(strikes["items"][0]["event_id"], lenient["id"]);
    // bob, who waited, took the place and leaving the waiting list costs nothing.
    assert_eq!(
        json(stack.register(id, &ann).await, 201).await["status"],
        "waitlisted"
    );
    assert_eq!(stack.leave(id, &ann).await.status(), 204);
    assert_eq!(stack.leave(id, &bob).await.status(), 204);
    assert_eq!(my_strikes(bob.clone()).await["total"], 1);
    // At most one past_deadline strike per user and event.
    assert_eq!(
        json(stack.register(id, &ann).await, 201).await["status"],
        "confirmed"
    );
    assert_eq!(stack.leave(id, &ann).await.status(), 204);
    assert_eq!(my_strikes(ann.clone()).await["total"], 1);

    // With a point, an event that enforces strikes opens 3 hours late for ann.
    let strict = stack
        .event(&admin, late(Duration::hours(5), true, true))
        .await;
    refused_with(
        stack.register(strict["id"].as_str().unwrap(), &ann).await,
        403,
        "strike_delay",
    )
    .await;

    // An event that cannot cause strikes: leaving late is free.
    let (_, cid) = stack.made_up("cid").await;
    let harmless = stack
        .event(&admin, late(Duration::hours(5), false, true))
        .await;
    let harmless_id = harmless["id"].as_str().unwrap();
    json(stack.register(harmless_id, &cid).await, 201).await;
    assert_eq!(stack.leave(harmless_id, &cid).await.status(), 204);
    assert_eq!(my_strikes(cid.clone()).await["total"], 0);

    // Past the deadline and within 2 hours of the start: a participant cannot
    // leave, a waiting-list entry can.
    let (_, dan) = stack.made_up("dan").await;
    let soon = stack
        .event(&admin, late(Duration::minutes(90), true, true))
        .await;
    let soon_id = soon["id"].as_str().unwrap();
    json(stack.register(soon_id, &cid).await, 201).await;
    assert_eq!(
        json(stack.register(soon_id, &dan).await, 201).await["status"],
        "waitlisted"
    );
    refused_with(stack.leave(soon_id, &cid).await, 403, "too_late_to_leave").await;
    assert_eq!(stack.leave(soon_id, &dan).await.status(), 204);
    stack.stop().await;
}

#[tokio::test]
async fn capacity_changes_promote_and_demote_in_order() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    stack.group("members", "other").await;
    let admin = stack.admin.token.clone();
    let mut body = open_event("cabin", 3);
    body["priority_pools"] = json!([["members"]]);
    let event = stack.event(&admin, body).await;
    let id = event["id"].as_str().unwrap();
    let member = stack.person("mem").await;
    stack.join(member.id, "members", "member").await;
    json(stack.register(id, &member.token).await, 201).await;
    let mut others = Vec::new();
    for name in ["ann", "bob", "cid", "dan"] {
        let (uid, token) = stack.made_up(name).await;
        json(stack.register(id, &token).await, 201).await;
        others.push((uid, token));
    }
    // mem, ann, bob have places; cid and dan wait.
    let status = |token: String| {
        let stack = &stack;
        async move { json(stack.mine(id, &token).await, 200).await }
    };
    let patch = |capacity: i32| {
        stack
            .api(Method::PATCH, &format!("/events/{id}"), Some(&admin))
            .json(&json!({"capacity": capacity}))
            .send()
    };
    assert_eq!(
        json(patch(4).await.unwrap(), 200).await["confirmed_count"],
        4
    );
    assert_eq!(status(others[2].1.clone()).await["status"], "confirmed");
    assert_eq!(status(others[3].1.clone()).await["position"], 1);
    stack.assert_invariants(id);
    // Lowering to 1 demotes bob, ann, cid... the latest non-prioritized first:
    // cid (latest), bob, ann; the prioritized member keeps the place.
    let lowered = json(patch(1).await.unwrap(), 200).await;
    assert_eq!(
        (
            lowered["confirmed_count"].as_i64(),
            lowered["waiting_count"].as_i64()
        ),
        (Some(1), Some(4))
    );
    assert_eq!(status(member.token.clone()).await["status"], "confirmed");
    let cid = status(others[2].1.clone()).await;
    assert_eq!(cid["reason"], engine::CAPACITY_LOWERED);
    // The waiting list is by registration time: ann, bob, cid, dan.
    for (i, (_, token)) in others.iter().enumerate() {
        assert_eq!(status(token.clone()).await["position"], i as i64 + 1);
    }
    stack.assert_invariants(id);
    // Unlimited: everyone gets a place.
    let unlimited = json(patch(0).await.unwrap(), 200).await;
    assert_eq!(
        (
            unlimited["confirmed_count"].as_i64(),
            unlimited["free_places"].clone()
        ),
        (Some(5), json!(null))
    );
    stack.assert_invariants(id);
    // Lowering demotes the prioritized last: to 0 places for non-prioritized... capacity 1 keeps mem.
    let again = json(patch(1).await.unwrap(), 200).await;
    assert_eq!(again["confirmed_count"], 1);
    assert_eq!(status(member.token.clone()).await["status"], "confirmed");
    stack.stop().await;
}
