//! Security: nobody's standing or data changes because an organizer acted
//! alone. Each attack goes through nginx, as an attacker's would.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Oslo;
use common::clock::{ManualClock, SharedClock};
use contracts::{Event, EventsEvent};
use diesel::Connection;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::{at, count, json, open_event, refused_with, Edge, Stack};

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

/// The attack of the review: an ordinary organizer "adds" people who never
/// asked. Now the add is an invitation: it holds no place, shows up for the
/// person to accept or decline, reaches them only as an invitation, and
/// cannot be turned into a strike by taking attendance and dating the event
/// back. An administrator still places someone directly, visibly to them.
#[tokio::test]
async fn an_organizers_add_is_an_invitation_that_holds_nothing_until_accepted() {
    let clock = ManualClock::new(Utc::now());
    let stack = Stack::start_with_clock(SharedClock::manual(&clock)).await;
    stack.group("cabin", "board").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let edge = Edge::start(&stack);
    let mut body = open_event("cabin", 1);
    body["can_cause_strikes"] = json!(true);
    let event = stack.event(&organizer.token, body.clone()).await;
    let id = event["id"].as_str().unwrap();
    let (victim, victim_token) = stack.made_up("victim").await;
    let invite = |event: &str, user: Uuid, token: &str| {
        edge.api(
            Method::PUT,
            &format!("/events/{event}/registrations/{user}"),
            token,
        )
        .send()
    };

    let sent = json(invite(id, victim, &organizer.token).await.unwrap(), 202).await;
    assert_eq!(sent["status"], "invited");
    assert_eq!(sent["user_id"], victim.to_string());
    assert_eq!(sent["expires_at"], event["registration_closes_at"]);
    // Asking again sends nothing twice.
    json(invite(id, victim, &organizer.token).await.unwrap(), 202).await;
    let invited: Vec<_> = stack
        .published()
        .into_iter()
        .filter_map(|e| match e {
            Event::Events(EventsEvent::RegistrationInvited(i)) => Some(i.0),
            _ => None,
        })
        .collect();
    assert_eq!(invited.len(), 1, "{invited:?}");
    assert_eq!(invited[0].user_id, victim);
    assert_eq!(invited[0].invited_by, "olga");

    // No place, nothing on the list, nobody to write to.
    let list = json(
        edge.api(
            Method::GET,
            &format!("/events/{id}/registrations"),
            &organizer.token,
        )
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(list["total"], 0, "{list}");
    refused_with(
        edge.send(
            Method::POST,
            &format!("/events/{id}/messages"),
            &organizer.token,
            json!({"subject": "Hi", "body": "Come", "audience": "all"}),
        )
        .await,
        409,
        "nobody_in_audience",
    )
    .await;
    json(
        edge.api(
            Method::GET,
            &format!("/events/{id}/registrations/me"),
            &victim_token,
        )
        .send()
        .await
        .unwrap(),
        404,
    )
    .await;

    // The person sees it, and accepting registers them the ordinary way.
    let mine = json(
        edge.api(Method::GET, "/me/invitations", &victim_token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["items"][0]["event_id"], id);
    assert_eq!(mine["items"][0]["invited_by"], "olga");
    let accept = |event: &str, token: &str| {
        edge.api(
            Method::POST,
            &format!("/me/invitations/{event}/accept"),
            token,
        )
        .send()
    };
    let registered = json(accept(id, &victim_token).await.unwrap(), 201).await;
    assert_eq!(registered["status"], "confirmed");
    assert_eq!(registered["added_by_organizer"], false);
    json(accept(id, &victim_token).await.unwrap(), 404).await;
    let mine = json(
        edge.api(Method::GET, "/me/invitations", &victim_token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(mine["items"], json!([]));
    // Someone already registered cannot be invited again.
    json(invite(id, victim, &organizer.token).await.unwrap(), 409).await;

    // Declining leaves nothing behind; nobody else can answer for you.
    let (other, other_token) = stack.made_up("other").await;
    json(invite(id, other, &organizer.token).await.unwrap(), 202).await;
    json(accept(id, &victim_token).await.unwrap(), 404).await;
    json(
        edge.api(
            Method::POST,
            &format!("/me/invitations/{id}/decline"),
            &other_token,
        )
        .send()
        .await
        .unwrap(),
        204,
    )
    .await;
    json(accept(id, &other_token).await.unwrap(), 404).await;

    // The back door to strikes: invite, take attendance, date the event back.
    // Nobody accepted, so nobody is on it, and the after-event run strikes no one.
    let second = stack.event(&organizer.token, body).await;
    let second_id = second["id"].as_str().unwrap();
    let (eve, eve_token) = stack.made_up("eve").await;
    json(invite(second_id, eve, &organizer.token).await.unwrap(), 202).await;
    json(
        edge.api(
            Method::PUT,
            &format!("/events/{second_id}/attendance-taken"),
            &organizer.token,
        )
        .send()
        .await
        .unwrap(),
        204,
    )
    .await;
    let past = Utc::now() - Duration::days(2);
    json(
        edge.send(
            Method::PATCH,
            &format!("/events/{second_id}"),
            &organizer.token,
            json!({
                "starts_at": at(past), "ends_at": at(past + Duration::hours(3)),
                "registration_opens_at": at(past - Duration::days(5)),
                "registration_closes_at": at(past - Duration::days(1)),
                "sign_off_deadline": at(past - Duration::days(1)),
            }),
        )
        .await,
        200,
    )
    .await;
    // Registration has closed: the invitation expired.
    json(accept(second_id, &eve_token).await.unwrap(), 404).await;
    // The after-event run goes from 12:00 Oslo time: its clock says 13:00
    // today (the event ended two days ago), whatever the hour of this run.
    let today = Utc::now().with_timezone(&Oslo).date_naive();
    clock.set(
        Oslo.from_local_datetime(&today.and_hms_opt(13, 0, 0).unwrap())
            .single()
            .unwrap()
            .with_timezone(&Utc),
    );
    let url = stack.iso.db.url.clone();
    let subject = second_id.to_owned();
    testkit::eventually("the after-event run winds the event up", move || {
        let (url, subject) = (url.clone(), subject.clone());
        async move {
            let mut conn = diesel::PgConnection::establish(&url).unwrap();
            count(
                &mut conn,
                &format!(
                    "SELECT count(*) AS n FROM job_runs WHERE job = 'after_event' AND subject = '{subject}'"
                ),
            ) == 1
        }
    })
    .await;
    assert_eq!(
        count(
            &mut stack.db(),
            &format!("SELECT count(*) AS n FROM strikes WHERE user_id = '{eve}'")
        ),
        0
    );

    // An administrator places someone directly; it shows in their registration.
    let (placed, placed_token) = stack.made_up("placed").await;
    let third = stack
        .event(&stack.admin.token, open_event("cabin", 5))
        .await;
    let third_id = third["id"].as_str().unwrap();
    let direct = json(
        invite(third_id, placed, &stack.admin.token).await.unwrap(),
        201,
    )
    .await;
    assert_eq!(direct["added_by_organizer"], true);
    let shown = json(
        edge.api(
            Method::GET,
            &format!("/events/{third_id}/registrations/me"),
            &placed_token,
        )
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(shown["added_by_organizer"], true);
    stack.stop().await;
}

/// Health data and photo consent reach an event's organizers only for people
/// there by their own choice, only from when registration closes until 14
/// days after the event ends, and a private group never filters the list.
/// Messages reach only those people, at most 10 a day.
#[tokio::test]
async fn health_data_messages_and_private_groups_follow_the_consent_rule() {
    let clock = ManualClock::new(Utc::now());
    let stack = Stack::start_with_clock(SharedClock::manual(&clock)).await;
    stack.group("cabin", "board").await;
    stack.group("secret-club", "private").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let edge = Edge::start(&stack);
    let event = stack.event(&organizer.token, open_event("cabin", 10)).await;
    let id = event["id"].as_str().unwrap();
    let (chose, chose_token) = stack.made_up("chose").await;
    let placed_person = stack.person("placed").await;
    let (placed, placed_token) = (placed_person.id, placed_person.token.clone());
    stack.join(placed, "secret-club", "member").await;
    for token in [&chose_token, &placed_token] {
        json(
            edge.send(
                Method::PATCH,
                "/me/event-settings",
                token,
                json!({"allergies": "peanuts", "photo_consent": false}),
            )
            .await,
            200,
        )
        .await;
    }
    json(
        edge.send(
            Method::POST,
            &format!("/events/{id}/registrations"),
            &chose_token,
            json!({}),
        )
        .await,
        201,
    )
    .await;
    json(
        edge.api(
            Method::PUT,
            &format!("/events/{id}/registrations/{placed}"),
            &stack.admin.token,
        )
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let list = |query: &'static str| {
        edge.api(
            Method::GET,
            &format!("/events/{id}/registrations{query}"),
            &organizer.token,
        )
        .send()
    };
    let statistics = || {
        edge.api(
            Method::GET,
            &format!("/events/{id}/statistics"),
            &organizer.token,
        )
        .send()
    };
    let allergies_of = |page: &serde_json::Value, user: Uuid| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["user_id"] == user.to_string())
            .map(|r| r.get("allergies").cloned())
            .unwrap()
    };

    // Registration is open: the list is not final, nothing shows.
    let open = json(list("").await.unwrap(), 200).await;
    assert_eq!(open["total"], 2);
    assert_eq!(allergies_of(&open, chose), None, "{open}");
    let figures = json(statistics().await.unwrap(), 200).await;
    assert_eq!(figures["allergies"], json!([]));
    assert_eq!(figures["photo_consent_declined"], json!([]));

    // Registration closed: the one who chose shows, the placed one never.
    clock.set(Utc::now() + Duration::days(6));
    let closed = json(list("").await.unwrap(), 200).await;
    assert_eq!(allergies_of(&closed, chose), Some(json!("peanuts")));
    assert_eq!(allergies_of(&closed, placed), None, "{closed}");
    let csv = list("?format=csv").await.unwrap().text().await.unwrap();
    assert_eq!(csv.matches("peanuts").count(), 1, "{csv}");
    let with = json(list("?has_allergies=true").await.unwrap(), 200).await;
    assert_eq!(with["total"], 1, "{with}");
    let figures = json(statistics().await.unwrap(), 200).await;
    assert_eq!(
        figures["allergies"],
        json!([{"user_id": chose, "username": "chose", "allergies": "peanuts"}])
    );
    assert_eq!(figures["photo_consent_declined"], json!(["chose"]));
    assert_eq!(figures["health_data_from"], event["registration_closes_at"]);

    // A private group does not filter: that would show who is in it.
    refused_with(
        list("?group=secret-club").await.unwrap(),
        400,
        "private_group",
    )
    .await;

    // 14 days after the end (day 11), nothing shows any more.
    clock.set(Utc::now() + Duration::days(26));
    let late = json(list("").await.unwrap(), 200).await;
    assert_eq!(allergies_of(&late, chose), None, "{late}");
    let figures = json(statistics().await.unwrap(), 200).await;
    assert_eq!(figures["allergies"], json!([]));

    // Messages reach only the one who chose, ten a day.
    let message = json!({"subject": "Bring boots", "body": "It is muddy.", "audience": "all"});
    for _ in 0..10 {
        let sent = json(
            edge.send(
                Method::POST,
                &format!("/events/{id}/messages"),
                &organizer.token,
                message.clone(),
            )
            .await,
            202,
        )
        .await;
        assert_eq!(sent["recipients"], 1);
    }
    let eleventh = edge
        .send(
            Method::POST,
            &format!("/events/{id}/messages"),
            &organizer.token,
            message,
        )
        .await;
    assert_eq!(eleventh.status(), 429);
    let wait: u64 = eleventh.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 23 * 3600 && wait <= 24 * 3600, "{wait}");
    refused_with(eleventh, 429, "message_limit").await;
    let delivered: Vec<_> = stack
        .published()
        .into_iter()
        .filter_map(|e| match e {
            Event::Events(EventsEvent::EventMessageSent(m)) => Some(m.0),
            _ => None,
        })
        .collect();
    assert_eq!(delivered.len(), 10);
    assert!(delivered.iter().all(|m| m.recipient_ids == vec![chose]));
    stack.stop().await;
}

/// Organizers see and withdraw the open invitations of their event; nobody
/// else sees who was invited, or withdraws anything; a withdrawn invitation
/// cannot be accepted.
#[tokio::test]
async fn only_the_events_organizers_list_and_withdraw_its_invitations() {
    let stack = Stack::start().await;
    stack.group("cabin", "board").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let outsider = stack.person("otto").await;
    let edge = Edge::start(&stack);
    let event = stack.event(&organizer.token, open_event("cabin", 5)).await;
    let id = event["id"].as_str().unwrap();
    let (invitee, invitee_token) = stack.made_up("ivy").await;
    json(
        edge.api(
            Method::PUT,
            &format!("/events/{id}/registrations/{invitee}"),
            &organizer.token,
        )
        .send()
        .await
        .unwrap(),
        202,
    )
    .await;
    let list = format!("/events/{id}/invitations");
    let withdraw = format!("/events/{id}/invitations/{invitee}");
    for token in [&outsider.token, &invitee_token] {
        json(
            edge.api(Method::GET, &list, token).send().await.unwrap(),
            403,
        )
        .await;
        json(
            edge.api(Method::DELETE, &withdraw, token)
                .send()
                .await
                .unwrap(),
            403,
        )
        .await;
    }
    let open = json(
        edge.api(Method::GET, &list, &organizer.token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open["items"][0]["user_id"], invitee.to_string());
    assert_eq!(open["items"][0]["invited_by"], organizer.id.to_string());
    json(
        edge.api(Method::DELETE, &withdraw, &organizer.token)
            .send()
            .await
            .unwrap(),
        204,
    )
    .await;
    json(
        edge.api(Method::DELETE, &withdraw, &organizer.token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let open = json(
        edge.api(Method::GET, &list, &organizer.token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(open["items"], json!([]));
    json(
        edge.api(
            Method::POST,
            &format!("/me/invitations/{id}/accept"),
            &invitee_token,
        )
        .send()
        .await
        .unwrap(),
        404,
    )
    .await;
    // Without a token nothing is listed.
    let anonymous = stack
        .http
        .get(format!("{}/v1{list}", stack.events.url))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    stack.stop().await;
}
