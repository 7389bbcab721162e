//! Waiting-list offers: close to the start of an event with `offer_hours`, a
//! freed place is offered to the first waiter, who accepts, declines or lets
//! it expire (then it goes to the next); after start - 1 h places are given
//! at once again.

use chrono::{Duration, Utc};
use common::clock::{ManualClock, SharedClock};
use contracts::{Event, EventsEvent};
use reqwest::Method;
use serde_json::json;

use crate::support::{at, json, refused_with, Stack};

fn soon_with_offers(capacity: i32) -> serde_json::Value {
    let now = Utc::now();
    json!({
        "title": "Company dinner", "organizer": "cabin", "sign_up": true, "capacity": capacity,
        "starts_at": at(now + Duration::hours(10)), "ends_at": at(now + Duration::hours(14)),
        "registration_opens_at": at(now - Duration::hours(1)),
        "registration_closes_at": at(now + Duration::hours(5)),
        "sign_off_deadline": at(now + Duration::hours(9)),
        "offer_hours": 24,
    })
}

fn changes(stack: &Stack, user: uuid::Uuid) -> Vec<(String, String)> {
    stack
        .published()
        .into_iter()
        .filter_map(|e| {
            let (kind, r) = match &e {
                Event::Events(EventsEvent::RegistrationOffered(o)) => ("offered", &o.registration),
                Event::Events(EventsEvent::RegistrationConfirmed(r)) => ("confirmed", &r.0),
                Event::Events(EventsEvent::RegistrationPromoted(r)) => ("promoted", &r.0),
                Event::Events(EventsEvent::RegistrationUnregistered(r)) => ("unregistered", &r.0),
                _ => return None,
            };
            (r.user_id == user).then(|| (kind.to_owned(), r.cause.clone()))
        })
        .collect()
}

#[tokio::test]
async fn a_freed_place_is_offered_and_accepted_declined_or_left_to_expire() {
    let clock = ManualClock::new(Utc::now());
    let stack = Stack::start_with_clock(SharedClock::manual(&clock)).await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, soon_with_offers(1)).await;
    let id = event["id"].as_str().unwrap();
    let starts: chrono::DateTime<Utc> = event["starts_at"].as_str().unwrap().parse().unwrap();
    let mut people = vec![];
    for name in ["ann", "bob", "cat", "dan"] {
        let (user, token) = stack.made_up(name).await;
        json(stack.register(id, &token).await, 201).await;
        people.push((user, token));
    }
    let [(_, ann), (bob_id, bob), (cat_id, cat), (dan_id, dan)] = people.try_into().unwrap();
    let accept = |token: &str, what: &str| {
        stack
            .api(
                Method::POST,
                &format!("/events/{id}/registrations/me/{what}"),
                Some(token),
            )
            .send()
    };

    // Ann leaves: the place is offered to Bob, not given, and held for him.
    json(stack.leave(id, &ann).await, 204).await;
    let offered = json(stack.mine(id, &bob).await, 200).await;
    assert_eq!(offered["status"], "offered");
    assert!(offered["position"].is_null());
    let expires: chrono::DateTime<Utc> = offered["offer_expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        expires,
        starts - Duration::hours(1),
        "min(now + 24 h, start - 1 h)"
    );
    assert_eq!(
        changes(&stack, bob_id),
        [("offered".to_owned(), String::new())]
    );
    stack.assert_invariants(id);
    let (_, eve) = stack.made_up("eve").await;
    let late = json(stack.register(id, &eve).await, 201).await;
    assert_eq!(late["status"], "waitlisted", "the offered place is held");
    assert_eq!(late["position"], 3);
    // Only the one offered may answer.
    refused_with(accept(&cat, "accept").await.unwrap(), 409, "not_offered").await;

    let accepted = json(accept(&bob, "accept").await.unwrap(), 200).await;
    assert_eq!(accepted["status"], "confirmed");
    assert!(accepted.get("offer_expires_at").is_none());
    refused_with(accept(&bob, "accept").await.unwrap(), 409, "not_offered").await;
    stack.assert_invariants(id);

    // Bob leaves after all: Cat is offered the place and declines it.
    json(stack.leave(id, &bob).await, 204).await;
    assert_eq!(
        json(stack.mine(id, &cat).await, 200).await["status"],
        "offered"
    );
    assert_eq!(accept(&cat, "decline").await.unwrap().status(), 204);
    assert_eq!(stack.mine(id, &cat).await.status(), 404);
    assert_eq!(
        changes(&stack, cat_id).last().unwrap(),
        &("unregistered".to_owned(), "declined_offer".to_owned())
    );
    let dans = json(stack.mine(id, &dan).await, 200).await;
    assert_eq!(dans["status"], "offered");
    stack.assert_invariants(id);

    // Dan stays silent; two instances look; the offer expires once, after
    // start - 1 h, so Eve gets the place at once.
    let second = stack.instance().await;
    clock.set(expires + Duration::seconds(1));
    testkit::eventually("Dan's offer expires", || async {
        stack.mine(id, &dan).await.status() == 404
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        changes(&stack, dan_id).last().unwrap(),
        &("unregistered".to_owned(), "offer_expired".to_owned())
    );
    assert_eq!(
        changes(&stack, dan_id)
            .iter()
            .filter(|(k, _)| k == "unregistered")
            .count(),
        1,
        "ended once"
    );
    let eves = json(stack.mine(id, &eve).await, 200).await;
    assert_eq!(eves["status"], "confirmed");
    stack.assert_invariants(id);
    second.stop().await;
    stack.stop().await;
}

#[tokio::test]
async fn lowering_the_capacity_takes_back_an_offered_place_first_and_offer_hours_are_checked() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, soon_with_offers(2)).await;
    let id = event["id"].as_str().unwrap();
    assert_eq!(event["offer_hours"], 24);
    let (_, ann) = stack.made_up("ann").await;
    let (_, bob) = stack.made_up("bob").await;
    let (_, cat) = stack.made_up("cat").await;
    for token in [&ann, &bob, &cat] {
        json(stack.register(id, token).await, 201).await;
    }
    json(stack.leave(id, &ann).await, 204).await;
    assert_eq!(
        json(stack.mine(id, &cat).await, 200).await["status"],
        "offered"
    );
    let patch = |body: serde_json::Value| {
        stack
            .api(Method::PATCH, &format!("/events/{id}"), Some(&admin))
            .json(&body)
            .send()
    };
    json(patch(json!({"capacity": 1})).await.unwrap(), 200).await;
    let cats = json(stack.mine(id, &cat).await, 200).await;
    assert_eq!(cats["status"], "waitlisted");
    assert!(cats.get("offer_expires_at").is_none());
    assert_eq!(
        json(stack.mine(id, &bob).await, 200).await["status"],
        "confirmed"
    );
    stack.assert_invariants(id);
    for bad in [json!(0), json!(169), json!(1.5), json!("24")] {
        let response = patch(json!({ "offer_hours": bad })).await.unwrap();
        assert!(
            [400, 422].contains(&response.status().as_u16()),
            "{bad}: {}",
            response.status()
        );
    }
    // null turns offers off: a freed place is given at once again.
    let off = json(
        patch(json!({"offer_hours": null, "capacity": 2}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(off["offer_hours"].is_null());
    assert_eq!(
        json(stack.mine(id, &cat).await, 200).await["status"],
        "confirmed"
    );
    stack.assert_invariants(id);
    stack.stop().await;
}
