//! Events and categories as everyone sees them: validation, the default list
//! and its filters, favourites, and the news of a moved or cancelled event.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

use crate::support::{at, json, open_event, refused, refused_with, Stack};

#[tokio::test]
async fn invalid_events_get_a_message_per_field() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let create = |body: serde_json::Value| {
        stack
            .api(Method::POST, "/events", Some(&admin))
            .json(&body)
            .send()
    };
    let mut bad = open_event("cabin", 5);
    bad["ends_at"] = json!(at(Utc::now()));
    bad["sign_off_deadline"] = json!(null);
    bad["only_prioritized"] = json!(true);
    bad["title"] = json!("a\u{0}b");
    let answer = json(create(bad).await.unwrap(), 422).await;
    let fields: Vec<&str> = answer["errors"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        ["ends_at", "only_prioritized", "sign_off_deadline", "title"],
        "{answer}"
    );
    let mut unknown = open_event("nobody", 5);
    unknown["priority_pools"] = json!([["cabin", "ghosts"]]);
    let answer = json(create(unknown).await.unwrap(), 422).await;
    assert!(
        answer["errors"]["organizer"][0]
            .as_str()
            .unwrap()
            .contains("nobody"),
        "{answer}"
    );
    let mut ghost_pool = open_event("cabin", 5);
    ghost_pool["priority_pools"] = json!([["cabin", "ghosts"]]);
    let answer = json(create(ghost_pool).await.unwrap(), 422).await;
    assert_eq!(
        answer["errors"]["priority_pools"][0],
        "no group with slug ghosts"
    );
    let mut negative = open_event("cabin", -1);
    negative["category_id"] = json!(uuid::Uuid::new_v4());
    let answer = json(create(negative).await.unwrap(), 422).await;
    assert!(answer["errors"]["capacity"].is_array(), "{answer}");
    let mut no_category = open_event("cabin", 5);
    no_category["category_id"] = json!(uuid::Uuid::new_v4());
    let answer = json(create(no_category).await.unwrap(), 422).await;
    assert_eq!(answer["errors"]["category_id"][0], "no such category");
    let typo = refused(
        stack
            .api(Method::POST, "/events", Some(&admin))
            .json(&json!({"titel": "x"}))
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(typo.contains("titel"), "{typo}");
    // A change is checked against the whole event.
    let event = stack.event(&admin, open_event("cabin", 5)).await;
    let id = event["id"].as_str().unwrap();
    let answer = json(
        stack
            .api(Method::PATCH, &format!("/events/{id}"), Some(&admin))
            .json(&json!({"sign_up": false}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(answer["errors"]["registration_opens_at"][0]
        .as_str()
        .unwrap()
        .contains("sign_up is off"));
    let cleared = json(
        stack
            .api(Method::PATCH, &format!("/events/{id}"), Some(&admin))
            .json(&json!({"sign_up": false, "registration_opens_at": null,
                          "registration_closes_at": null, "sign_off_deadline": null}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(cleared["registration_opens_at"], json!(null));
    stack.stop().await;
}

#[tokio::test]
async fn the_list_filters_sorts_and_keeps_yesterdays_events_until_noon() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    stack.group("board", "board").await;
    let admin = stack.admin.token.clone();
    let category = json(
        stack
            .api(Method::POST, "/categories", Some(&admin))
            .json(&json!({"name": "Trips"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let now = Utc::now();
    let noon = events::domain::local_time::latest_noon(now, chrono_tz::Europe::Oslo);
    let event = |title: &str,
                 organizer: &str,
                 starts: chrono::DateTime<Utc>,
                 ends: chrono::DateTime<Utc>| {
        json!({"title": title, "organizer": organizer, "starts_at": at(starts), "ends_at": at(ends)})
    };
    // Ended a minute before the latest noon: expired. Ended at it: still listed.
    stack
        .event(
            &admin,
            event(
                "Old",
                "cabin",
                noon - Duration::hours(3),
                noon - Duration::minutes(1),
            ),
        )
        .await;
    stack
        .event(
            &admin,
            event("Edge", "cabin", noon - Duration::hours(3), noon),
        )
        .await;
    let mut trip = open_event("cabin", 10);
    trip["title"] = json!("Cabin trip");
    trip["category_id"] = category["id"].clone();
    let trip = stack.event(&admin, trip).await;
    stack
        .event(
            &admin,
            event(
                "Board meeting",
                "board",
                now + Duration::days(20),
                now + Duration::days(20),
            ),
        )
        .await;

    let titles = |path: &str, token: Option<&str>| {
        let request = stack.api(Method::GET, path, token);
        async move {
            let page = json(request.send().await.unwrap(), 200).await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        titles("/events", None).await,
        ["Edge", "Cabin trip", "Board meeting"]
    );
    assert_eq!(titles("/events?expired=true", None).await, ["Old"]);
    assert_eq!(
        titles("/events?organizer=board", None).await,
        ["Board meeting"]
    );
    assert_eq!(
        titles("/events?organizer=nobody", None).await,
        Vec::<String>::new()
    );
    assert_eq!(
        titles(
            &format!("/events?category={}", category["id"].as_str().unwrap()),
            None
        )
        .await,
        ["Cabin trip"]
    );
    assert_eq!(titles("/events?open=true", None).await, ["Cabin trip"]);
    assert_eq!(titles("/events?q=CABIN", None).await, ["Cabin trip"]);
    assert_eq!(titles("/events?q=%25", None).await, Vec::<String>::new());
    let from = at(now + Duration::days(15)).replace('+', "%2B");
    assert_eq!(
        titles(&format!("/events?from={from}"), None).await,
        ["Board meeting"]
    );
    let to = at(now + Duration::days(1)).replace('+', "%2B");
    assert_eq!(titles(&format!("/events?to={to}"), None).await, ["Edge"]);
    assert_eq!(
        titles("/events?sort=-starts_at", None).await,
        ["Board meeting", "Cabin trip", "Edge"]
    );
    let page = json(
        stack
            .api(Method::GET, "/events?per_page=1&page=2", None)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        (page["total"].as_i64(), page["items"][0]["title"].as_str()),
        (Some(3), Some("Cabin trip"))
    );
    assert_eq!(
        page["sort_options"],
        json!(["starts_at", "ends_at", "title", "created_at"])
    );
    let bad_sort = refused(
        stack
            .api(Method::GET, "/events?sort=price", None)
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(bad_sort.contains("starts_at"), "{bad_sort}");
    assert_eq!(
        stack
            .api(Method::GET, "/events?from=yesterday", None)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );

    // Favourites are mine only.
    let (_, ann) = stack.made_up("ann").await;
    let trip_id = trip["id"].as_str().unwrap();
    assert_eq!(
        stack
            .api(
                Method::PUT,
                &format!("/events/{trip_id}/favourite"),
                Some(&ann)
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
                Method::PUT,
                &format!("/events/{trip_id}/favourite"),
                Some(&ann)
            )
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        titles("/events?favourites=true", Some(&ann)).await,
        ["Cabin trip"]
    );
    assert_eq!(
        titles("/events?favourites=true", Some(&admin)).await,
        Vec::<String>::new()
    );
    assert_eq!(
        stack
            .api(Method::GET, "/events?favourites=true", None)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        stack
            .api(
                Method::DELETE,
                &format!("/events/{trip_id}/favourite"),
                Some(&ann)
            )
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        titles("/events?favourites=true", Some(&ann)).await,
        Vec::<String>::new()
    );
    let missing = uuid::Uuid::new_v4();
    assert_eq!(
        stack
            .api(
                Method::PUT,
                &format!("/events/{missing}/favourite"),
                Some(&ann)
            )
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // CSV of lists is for administrators.
    assert_eq!(
        stack
            .api(Method::GET, "/events?format=csv", Some(&ann))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let csv = stack
        .api(Method::GET, "/events?format=csv", Some(&admin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("id,title,location") && csv.contains("Cabin trip"),
        "{csv}"
    );
    stack.stop().await;
}

#[tokio::test]
async fn categories_are_written_by_administrators() {
    let stack = Stack::start().await;
    let admin = stack.admin.token.clone();
    let (_, ann) = stack.made_up("ann").await;
    let body = json!({"name": "Parties", "description": "Fun"});
    refused_with(
        stack
            .api(Method::POST, "/categories", Some(&ann))
            .json(&body)
            .send()
            .await
            .unwrap(),
        403,
        "not_admin",
    )
    .await;
    let parties = json(
        stack
            .api(Method::POST, "/categories", Some(&admin))
            .json(&body)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    refused_with(
        stack
            .api(Method::POST, "/categories", Some(&admin))
            .json(&json!({"name": "parties"}))
            .send()
            .await
            .unwrap(),
        409,
        "category_exists",
    )
    .await;
    let trips = json(
        stack
            .api(Method::POST, "/categories", Some(&admin))
            .json(&json!({"name": "Trips"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let id = trips["id"].as_str().unwrap();
    refused_with(
        stack
            .api(Method::PATCH, &format!("/categories/{id}"), Some(&admin))
            .json(&json!({"name": "PARTIES"}))
            .send()
            .await
            .unwrap(),
        409,
        "category_exists",
    )
    .await;
    let renamed = json(
        stack
            .api(Method::PATCH, &format!("/categories/{id}"), Some(&admin))
            .json(&json!({"name": "Journeys"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(renamed["name"], "Journeys");
    let listed = json(
        stack
            .api(Method::GET, "/categories", None)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Journeys", "Parties"]);
    assert_eq!(
        stack
            .api(Method::DELETE, &format!("/categories/{id}"), Some(&ann))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        stack
            .api(Method::DELETE, &format!("/categories/{id}"), Some(&admin))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        stack
            .api(Method::DELETE, &format!("/categories/{id}"), Some(&admin))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let blank = json(
        stack
            .api(Method::POST, "/categories", Some(&admin))
            .json(&json!({"name": " "}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(blank["errors"]["name"].is_array());
    let _ = parties;
    stack.stop().await;
}

#[tokio::test]
async fn everyone_registered_hears_when_an_event_moves_or_is_cancelled() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let mut tap = testkit::bus::EventTap::bind(&stack.iso.exchange, "events.event.changed").await;
    let event = stack.event(&admin, open_event("cabin", 1)).await;
    let id = event["id"].as_str().unwrap();
    let (ann, ann_token) = stack.made_up("ann").await;
    let (bob, bob_token) = stack.made_up("bob").await;
    json(stack.register(id, &ann_token).await, 201).await;
    json(stack.register(id, &bob_token).await, 201).await;
    // A new title is no news; a new place is.
    json(
        stack
            .api(Method::PATCH, &format!("/events/{id}"), Some(&admin))
            .json(&json!({"title": "Trip"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    json(
        stack
            .api(Method::PATCH, &format!("/events/{id}"), Some(&admin))
            .json(&json!({"location": "Lodge"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let moved = tap
        .next(std::time::Duration::from_secs(10))
        .await
        .expect("a change");
    let contracts::Event::Events(contracts::EventsEvent::EventChanged(change)) =
        moved.parse().unwrap()
    else {
        panic!("not a change");
    };
    assert_eq!(change.changes, ["place"]);
    assert_eq!(change.location, "Lodge");
    assert_eq!(change.title, "Trip");
    assert_eq!(change.recipient_ids, [ann, bob]);
    assert_eq!(
        stack
            .api(Method::DELETE, &format!("/events/{id}"), Some(&admin))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let cancelled = tap
        .next(std::time::Duration::from_secs(10))
        .await
        .expect("a cancellation");
    let contracts::Event::Events(contracts::EventsEvent::EventChanged(change)) =
        cancelled.parse().unwrap()
    else {
        panic!("not a change");
    };
    assert_eq!(change.changes, ["cancelled"]);
    assert_eq!(
        stack
            .api(Method::GET, &format!("/events/{id}"), None)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    stack.stop().await;
}
