//! Who writes events, and what organizers do with registrations: add,
//! remove, move, check in, list (and export).

use reqwest::Method;
use serde_json::json;

use crate::support::{json, open_event, refused, refused_with, Stack};
use events::domain::engine;

#[tokio::test]
async fn leaders_of_committees_and_members_of_boards_write_events_from_current_memberships() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    stack.group("board", "board").await;
    let leader = stack.person("leader").await;
    let member = stack.person("member").await;
    let boarder = stack.person("boarder").await;
    let outsider = stack.person("outsider").await;
    stack.join(leader.id, "cabin", "leader").await;
    stack.join(member.id, "cabin", "member").await;
    stack.join(boarder.id, "board", "member").await;

    let denied = refused_with(
        stack
            .api(Method::POST, "/events", Some(&member.token))
            .json(&open_event("cabin", 5))
            .send()
            .await
            .unwrap(),
        403,
        "not_writer",
    )
    .await;
    assert!(
        denied["detail"]
            .as_str()
            .unwrap()
            .contains("the leader of cabin"),
        "{denied}"
    );
    assert_eq!(
        stack
            .api(Method::POST, "/events", Some(&outsider.token))
            .json(&open_event("board", 5))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let cabin = stack.event(&leader.token, open_event("cabin", 5)).await;
    let board = stack.event(&boarder.token, open_event("board", 5)).await;
    assert_eq!(cabin["organizer"], "cabin");
    let cabin_id = cabin["id"].as_str().unwrap();

    // Moving an event needs the right on both organizers.
    let moved = stack
        .api(
            Method::PATCH,
            &format!("/events/{cabin_id}"),
            Some(&leader.token),
        )
        .json(&json!({"organizer": "board"}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 403);
    let board_id = board["id"].as_str().unwrap();
    let taken = stack
        .api(
            Method::PATCH,
            &format!("/events/{board_id}"),
            Some(&boarder.token),
        )
        .json(&json!({"organizer": "cabin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(taken.status(), 403);
    let renamed = json(
        stack
            .api(
                Method::PATCH,
                &format!("/events/{cabin_id}"),
                Some(&leader.token),
            )
            .json(&json!({"title": "Cabin weekend"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(renamed["title"], "Cabin weekend");

    // The leader leaves the committee: the token still says leader, the
    // copy of memberships does not, and the right is gone.
    let left = stack
        .http
        .delete(format!(
            "{}/v1/groups/cabin/members/{}",
            stack.fixture.url, leader.id
        ))
        .bearer_auth(&stack.admin.token)
        .send()
        .await
        .unwrap();
    assert!(left.status().is_success());
    stack.until_member(leader.id, "cabin", false).await;
    let after = stack
        .api(
            Method::PATCH,
            &format!("/events/{cabin_id}"),
            Some(&leader.token),
        )
        .json(&json!({"title": "Mine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 403);
    // Organizers' tools follow the same right.
    assert_eq!(
        stack
            .api(
                Method::GET,
                &format!("/events/{cabin_id}/registrations"),
                Some(&outsider.token)
            )
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
                &format!("/events/{cabin_id}"),
                Some(&member.token)
            )
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
                &format!("/events/{board_id}"),
                Some(&boarder.token)
            )
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    stack.stop().await;
}

#[tokio::test]
async fn organizers_add_remove_and_move_registrations() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    stack.group("members", "other").await;
    let admin = stack.admin.token.clone();
    let mut body = open_event("cabin", 2);
    body["priority_pools"] = json!([["members"]]);
    body["only_prioritized"] = json!(true);
    body["closed"] = json!(true);
    let event = stack.event(&admin, body).await;
    let id = event["id"].as_str().unwrap();
    let (ann, _) = stack.made_up("ann").await;
    let (bob, _) = stack.made_up("bob").await;
    let (cid, _) = stack.made_up("cid").await;
    let (dan, _) = stack.made_up("dan").await;
    let put = |user: uuid::Uuid| {
        stack
            .api(
                Method::PUT,
                &format!("/events/{id}/registrations/{user}"),
                Some(&admin),
            )
            .send()
    };
    // Closed, only prioritized: organizers add anyway; added people count as prioritized.
    let added = json(put(ann).await.unwrap(), 201).await;
    assert_eq!(
        (added["status"].as_str(), added["prioritized"].as_bool()),
        (Some("confirmed"), Some(true))
    );
    assert_eq!(added["reason"], engine::ADDED);
    assert_eq!(added["username"], "ann");
    json(put(bob).await.unwrap(), 201).await;
    let third = json(put(cid).await.unwrap(), 201).await;
    assert_eq!(third["status"], "waitlisted");
    refused_with(put(ann).await.unwrap(), 409, "already_registered").await;

    // Moving a waiter up needs a free place.
    let up = |user: uuid::Uuid, status: &str| {
        stack
            .api(
                Method::PATCH,
                &format!("/events/{id}/registrations/{user}"),
                Some(&admin),
            )
            .json(&json!({"status": status}))
            .send()
    };
    refused_with(up(cid, "confirmed").await.unwrap(), 409, "no_free_place").await;
    // Moving bob down gives his place to cid, the first other waiter.
    let bob_down = json(up(bob, "waitlisted").await.unwrap(), 200).await;
    assert_eq!(bob_down["status"], "waitlisted");
    assert_eq!(bob_down["reason"], engine::MOVED_DOWN);
    stack.assert_invariants(id);
    let listed = json(
        stack
            .api(
                Method::GET,
                &format!("/events/{id}/registrations"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let names: Vec<(&str, &str)> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["username"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("ann", "confirmed"),
            ("cid", "confirmed"),
            ("bob", "waitlisted")
        ]
    );
    assert_eq!(
        listed["sort_options"],
        json!(["status", "registered_at", "username"])
    );
    // Nobody else waits: moving a participant down would leave a free place.
    json(
        stack
            .api(
                Method::DELETE,
                &format!("/events/{id}/registrations/{bob}"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        204,
    )
    .await;
    refused_with(up(ann, "waitlisted").await.unwrap(), 409, "nobody_waiting").await;
    // Removing a participant: no strike, and the place goes to the first waiter.
    json(put(dan).await.unwrap(), 201).await;
    assert_eq!(
        stack
            .api(
                Method::DELETE,
                &format!("/events/{id}/registrations/{ann}"),
                Some(&admin)
            )
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    refused_with(put(dan).await.unwrap(), 409, "already_registered").await;
    let strikes = json(
        stack
            .api(Method::GET, &format!("/users/{ann}/strikes"), Some(&admin))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(strikes["total"], 0);
    let confirmed = json(
        stack
            .api(
                Method::GET,
                &format!("/events/{id}/registrations?status=confirmed"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(confirmed["total"], 2);
    stack.assert_invariants(id);
    assert_eq!(
        stack
            .api(
                Method::DELETE,
                &format!("/events/{id}/registrations/{ann}"),
                Some(&admin)
            )
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Sign-up off: nobody can be added.
    let mut off = open_event("cabin", 2);
    for field in [
        "registration_opens_at",
        "registration_closes_at",
        "sign_off_deadline",
    ] {
        off[field] = json!(null);
    }
    off["sign_up"] = json!(false);
    let off = stack.event(&admin, off).await;
    let off_id = off["id"].as_str().unwrap();
    refused_with(
        stack
            .api(
                Method::PUT,
                &format!("/events/{off_id}/registrations/{ann}"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        403,
        "sign_up_off",
    )
    .await;
    stack.stop().await;
}

#[tokio::test]
async fn check_in_lists_and_exports_for_organizers() {
    let clock = common::clock::ManualClock::new(chrono::Utc::now());
    let stack = Stack::start_with_clock(common::clock::SharedClock::manual(&clock)).await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, open_event("cabin", 1)).await;
    let id = event["id"].as_str().unwrap();
    let (ann, ann_token) = stack.made_up("ann").await;
    let (bob, bob_token) = stack.made_up("bob").await;
    json(
        stack
            .api(Method::PATCH, "/me/event-settings", Some(&ann_token))
            .json(&json!({"allergies": "nuts"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    json(stack.register(id, &ann_token).await, 201).await;
    json(stack.register(id, &bob_token).await, 201).await;
    let check_in = |user: uuid::Uuid, method: Method| {
        stack
            .api(
                method,
                &format!("/events/{id}/registrations/{user}/check-in"),
                Some(&admin),
            )
            .send()
    };
    let checked = json(check_in(ann, Method::POST).await.unwrap(), 200).await;
    assert!(checked["attended_at"].is_string());
    refused_with(
        check_in(ann, Method::POST).await.unwrap(),
        409,
        "already_checked_in",
    )
    .await;
    refused_with(
        check_in(bob, Method::POST).await.unwrap(),
        409,
        "waitlisted",
    )
    .await;
    // Only organizers check in.
    assert_eq!(
        stack
            .api(
                Method::POST,
                &format!("/events/{id}/registrations/{ann}/check-in"),
                Some(&bob_token)
            )
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // Allergies show once registration closed (in 5 days).
    clock.set(chrono::Utc::now() + chrono::Duration::days(6));
    let attended = json(
        stack
            .api(
                Method::GET,
                &format!("/events/{id}/registrations?attended=true"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(attended["total"], 1);
    assert_eq!(attended["items"][0]["allergies"], "nuts");
    let csv = stack
        .api(
            Method::GET,
            &format!("/events/{id}/registrations?format=csv"),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("user_id,username,status,position"),
        "{text}"
    );
    assert!(
        text.contains(",ann,confirmed,,") && text.contains(",bob,waitlisted,1,"),
        "{text}"
    );
    assert!(text.contains("nuts"));
    // The person's own view never shows allergies.
    let mine = json(stack.mine(id, &ann_token).await, 200).await;
    assert!(mine.get("allergies").is_none(), "{mine}");
    json(check_in(ann, Method::DELETE).await.unwrap(), 200).await;
    refused_with(
        check_in(ann, Method::DELETE).await.unwrap(),
        409,
        "not_checked_in",
    )
    .await;
    let bad_filter = refused(
        stack
            .api(
                Method::GET,
                &format!("/events/{id}/registrations?status=maybe"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(bad_filter.contains("confirmed, waitlisted or offered"));
    stack.stop().await;
}

#[tokio::test]
async fn check_in_by_code_takes_only_this_events_codes_from_its_organizers() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, open_event("cabin", 5)).await;
    let other = stack.event(&admin, open_event("cabin", 5)).await;
    let (id, other_id) = (event["id"].as_str().unwrap(), other["id"].as_str().unwrap());
    let (_, ann) = stack.made_up("ann").await;
    let (_, bob) = stack.made_up("bob").await;
    let registered = json(stack.register(id, &ann).await, 201).await;
    let code = registered["check_in_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 32, "128 random bits");
    let theirs = json(stack.register(other_id, &bob).await, 201).await;
    let their_code = theirs["check_in_code"].as_str().unwrap().to_owned();
    assert_ne!(code, their_code);
    // Only the owner sees the code: not organizers' lists.
    let mine = json(stack.mine(id, &ann).await, 200).await;
    assert_eq!(mine["check_in_code"], code.as_str());
    let listed = json(
        stack
            .api(
                Method::GET,
                &format!("/events/{id}/registrations"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(listed["items"][0].get("check_in_code").is_none());

    let scan = |token: &str, event: &str, code: &str| {
        stack
            .api(
                Method::POST,
                &format!("/events/{event}/check-in"),
                Some(token),
            )
            .json(&json!({ "code": code }))
            .send()
    };
    // A participant cannot check themselves in with their own code.
    assert_eq!(scan(&ann, id, &code).await.unwrap().status(), 403);
    // Another event's code, a made-up one, an empty one: 404.
    for wrong in [their_code.as_str(), "0123456789abcdef0123456789abcdef", ""] {
        let detail = refused(scan(&admin, id, wrong).await.unwrap(), 404).await;
        assert_eq!(detail, "no registration of this event has that code");
    }
    assert_eq!(scan(&admin, id, "' OR 1=1 --").await.unwrap().status(), 404);
    assert_eq!(scan(&admin, id, "\u{0}").await.unwrap().status(), 400);
    let checked = json(scan(&admin, id, &code).await.unwrap(), 200).await;
    assert!(checked["attended_at"].is_string());
    refused_with(
        scan(&admin, id, &code).await.unwrap(),
        409,
        "already_checked_in",
    )
    .await;
    let unknown_field = stack
        .api(
            Method::POST,
            &format!("/events/{id}/check-in"),
            Some(&admin),
        )
        .json(&json!({"code": code, "user_id": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_field.status(), 400);

    // Marking attendance as taken: organizers only, shown on the event.
    let taken = |token: &str, method: Method| {
        stack
            .api(
                method,
                &format!("/events/{id}/attendance-taken"),
                Some(token),
            )
            .send()
    };
    assert_eq!(taken(&ann, Method::PUT).await.unwrap().status(), 403);
    assert_eq!(taken(&admin, Method::PUT).await.unwrap().status(), 204);
    let shown = json(
        stack
            .api(Method::GET, &format!("/events/{id}"), None)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(shown["attendance_taken_at"].is_string());
    assert_eq!(taken(&admin, Method::DELETE).await.unwrap().status(), 204);
    stack.stop().await;
}

#[tokio::test]
async fn two_phones_scanning_one_code_at_once_check_in_once() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, open_event("cabin", 0)).await;
    let id = event["id"].as_str().unwrap();
    let mut codes = vec![];
    for n in 0..8 {
        let (_, token) = stack.made_up(&format!("guest{n}")).await;
        let registered = json(stack.register(id, &token).await, 201).await;
        codes.push(registered["check_in_code"].as_str().unwrap().to_owned());
    }
    for code in codes {
        let scan = || {
            stack
                .api(
                    Method::POST,
                    &format!("/events/{id}/check-in"),
                    Some(&admin),
                )
                .json(&json!({ "code": code }))
                .send()
        };
        let (first, second) = tokio::join!(scan(), scan());
        let mut statuses = [
            first.unwrap().status().as_u16(),
            second.unwrap().status().as_u16(),
        ];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "one check-in per code");
    }
    stack.stop().await;
}
