//! Notifications from events, the REST API, settings and dedupe.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{mails, Stack};

#[tokio::test]
async fn a_new_account_gets_a_welcome_in_the_app_and_by_mail() {
    let sink = testkit::SmtpSink::start();
    let stack = Stack::new(Some(sink.url())).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    let bob = stack.person("bob").await;

    let listed = stack.wait_for(&notify, &ann, 1).await;
    assert_eq!(listed[0]["kind"], "welcome");
    assert_eq!(listed[0]["title"], "Welcome to Test platform, ann!");
    assert_eq!(listed[0]["link"], "http://localhost:8080/login");
    assert!(listed[0]["read_at"].is_null());
    let (_, count) = stack
        .get(&notify, "/v1/notifications/unread-count", &ann.token)
        .await;
    assert_eq!(count["unread"], 1);

    let received = mails(&sink, 2).await;
    let to_ann: Vec<&String> = received
        .iter()
        .filter(|m| m.contains("X-Envelope-To: ann@example.org"))
        .collect();
    assert_eq!(to_ann.len(), 1, "{received:?}");
    let mail = to_ann[0];
    assert!(
        mail.contains("Subject: [Test platform] Welcome to Test platform, ann!"),
        "{mail}"
    );
    assert!(mail.contains("Content-Type: text/plain"), "{mail}");
    assert!(mail.contains("Content-Type: text/html"), "{mail}");
    assert!(mail.contains("http://localhost:8080/login"));
    assert!(mail.contains("Message-ID: <notification-"));

    // Only my own: another's id looks missing.
    let id = listed[0]["id"].as_i64().unwrap();
    let theirs = stack
        .http
        .post(format!("{}/v1/notifications/{id}/read", notify.url))
        .bearer_auth(&bob.token)
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let mine = stack
        .http
        .post(format!("{}/v1/notifications/{id}/read", notify.url))
        .bearer_auth(&ann.token)
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::NO_CONTENT);
    let (_, count) = stack
        .get(&notify, "/v1/notifications/unread-count", &ann.token)
        .await;
    assert_eq!(count["unread"], 0);
    let (_, unread) = stack
        .get(&notify, "/v1/notifications?unread=true", &ann.token)
        .await;
    assert_eq!(unread["total"], 0);
    let (_, all) = stack.get(&notify, "/v1/notifications", &ann.token).await;
    assert!(all["items"][0]["read_at"].is_string());
    assert_eq!(all["sort_options"], json!(["created_at"]));

    let anonymous = stack
        .http
        .get(format!("{}/v1/notifications", notify.url))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    notify.stop().await;
}

#[tokio::test]
async fn a_password_reset_is_mailed_with_its_link_and_never_listed() {
    let sink = testkit::SmtpSink::start();
    let stack = Stack::new(Some(sink.url())).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    mails(&sink, 1).await;
    let asked = stack
        .http
        .post(format!("{}/v1/password-reset", stack.auth))
        .json(&json!({"email": ann.email}))
        .send()
        .await
        .unwrap();
    assert!(asked.status().is_success());
    let received = mails(&sink, 2).await;
    let reset = received
        .iter()
        .find(|m| m.contains("Reset your password"))
        .unwrap();
    assert!(reset.contains("X-Envelope-To: ann@example.org"));
    // The single-use link, as auth built it (quoted-printable may wrap it).
    let unwrapped = reset.replace("=\r\n", "").replace("=3D", "=");
    assert!(unwrapped.contains("token="), "{reset}");
    // Not in the app, and the link is not stored.
    let listed = stack.notifications(&notify, &ann).await;
    assert!(
        listed.iter().all(|n| n["kind"] != "password_reset"),
        "{listed:?}"
    );
    let mut conn = stack.notify_iso.db.connect();
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let leaked: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM notifications WHERE kind = 'password_reset' AND (link IS NOT NULL OR data::text LIKE '%token%')",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(leaked.n, 0);
    // Once delivered, the link is nowhere at rest: not in auth's outbox (the
    // payload is erased once the broker confirmed it), not in notify's mail
    // queue (the mail is redacted once delivered).
    let token = unwrapped
        .split("token=")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>();
    assert!(token.len() >= 20, "{token}");
    let stored = |conn: &mut diesel::PgConnection, sql: &str| -> i64 {
        diesel::sql_query(sql.replace("TOKEN", &token))
            .get_result::<Count>(conn)
            .unwrap()
            .n
    };
    let mut auth_db = stack.fixture.iso.db.connect();
    testkit::eventually("auth's outbox erased the reset link", || {
        let url = stack.fixture.iso.db.url.clone();
        let token = token.clone();
        async move {
            let mut conn = <diesel::PgConnection as diesel::Connection>::establish(&url).unwrap();
            diesel::sql_query(format!(
                "SELECT count(*) AS n FROM outbox WHERE payload::text LIKE '%{token}%'"
            ))
            .get_result::<Count>(&mut conn)
            .unwrap()
            .n == 0
        }
    })
    .await;
    assert_eq!(
        stored(
            &mut auth_db,
            "SELECT count(*) AS n FROM outbox WHERE event_type = 'auth.password_reset_requested' \
             AND published_at IS NOT NULL AND payload->'data' ? 'erased'"
        ),
        1,
        "the event is still on record, without its data"
    );
    assert_eq!(
        stored(
            &mut conn,
            "SELECT count(*) AS n FROM outgoing_mail WHERE text_body LIKE '%TOKEN%' OR html_body LIKE '%TOKEN%'"
        ),
        0
    );
    assert_eq!(
        stored(
            &mut conn,
            "SELECT count(*) AS n FROM outgoing_mail WHERE status = 'sent' AND sensitive"
        ),
        1
    );
    notify.stop().await;
}

#[tokio::test]
async fn settings_choose_channels_with_one_always_on_and_security_mail_locked() {
    let sink = testkit::SmtpSink::start();
    let stack = Stack::new(Some(sink.url())).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    stack.wait_for(&notify, &ann, 1).await;

    let (status, settings) = stack
        .get(&notify, "/v1/notification-settings", &ann.token)
        .await;
    assert_eq!(status, StatusCode::OK);
    let follower = settings["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "new_follower")
        .unwrap()
        .clone();
    assert_eq!(
        follower["channels"],
        json!({"email": false, "in_app": true, "push": true})
    );
    let reset = settings["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "password_reset")
        .unwrap()
        .clone();
    assert_eq!(reset["locked"], true);
    assert_eq!(settings["daily_digest"], true);

    let put = |body: Value| {
        stack
            .http
            .put(format!("{}/v1/notification-settings", notify.url))
            .bearer_auth(&ann.token)
            .json(&body)
            .send()
    };
    for (body, field) in [
        (
            json!({"kinds": [{"kind": "new_follower", "email": false, "in_app": false, "push": false}]}),
            "kinds[0]",
        ),
        (
            json!({"kinds": [{"kind": "password_reset", "email": false, "in_app": true, "push": false}]}),
            "kinds[0]",
        ),
        (
            json!({"kinds": [{"kind": "welcome", "email": true, "in_app": true, "push": true}, {"kind": "nope", "email": true, "in_app": true, "push": true}]}),
            "kinds[1]",
        ),
    ] {
        let refused = put(body).await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = refused.json().await.unwrap();
        assert!(problem["errors"][field].is_array(), "{problem}");
    }
    let changed = put(json!({"kinds": [{"kind": "new_follower", "email": true, "in_app": false, "push": false}], "daily_digest": false}))
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["daily_digest"], false);

    // A follower now arrives by mail only.
    stack
        .publish(
            "social.user.followed",
            json!({"follower_id": uuid::Uuid::new_v4(), "follower_username": "zed",
            "followee_id": ann.id, "followee_username": "ann"}),
        )
        .await;
    let received = mails(&sink, 2).await;
    assert!(
        received.iter().any(|m| m.contains("zed follows you")),
        "{received:?}"
    );
    let listed = stack.notifications(&notify, &ann).await;
    assert!(listed.iter().all(|n| n["kind"] != "new_follower"));
    notify.stop().await;
}

#[tokio::test]
async fn every_documented_event_becomes_a_notification_once() {
    let stack = Stack::new(None).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    stack.wait_for(&notify, &ann, 1).await;
    let event = uuid::Uuid::new_v4();
    let registration = |status: &str, position: Option<i64>, cause: &str| {
        serde_json::to_value(contracts::events::Registration {
            registration_id: uuid::Uuid::new_v4(),
            event_id: event,
            event_title: "Winter party".into(),
            event_starts_at: "2026-12-12T18:00:00Z".parse().unwrap(),
            event_location: "Hall".into(),
            sign_off_deadline: None,
            user_id: ann.id,
            status: status.into(),
            position,
            reason: String::new(),
            cause: cause.into(),
        })
        .unwrap()
    };
    let strike = serde_json::to_value(contracts::events::Strike {
        strike_id: uuid::Uuid::new_v4(),
        user_id: ann.id,
        event_id: Some(event),
        event_title: Some("Winter party".into()),
        kind: "no_show".into(),
        points: 2,
        description: String::new(),
        active_points: 2,
        expires_at: "2026-12-20T18:00:00Z".parse().unwrap(),
    })
    .unwrap();
    let changed = serde_json::to_value(contracts::events::EventChange {
        event_id: event,
        title: "Winter party".into(),
        starts_at: "2026-12-13T18:00:00Z".parse().unwrap(),
        ends_at: "2026-12-13T23:00:00Z".parse().unwrap(),
        location: "Hall".into(),
        changes: vec!["time".into()],
        recipient_ids: vec![ann.id],
    })
    .unwrap();
    let published = [
        stack.publish("events.registration.waitlisted", registration("waitlisted", Some(3), "")).await,
        stack.publish("events.registration.promoted", registration("confirmed", None, "")).await,
        stack.publish("events.registration.confirmed", registration("confirmed", None, "")).await,
        stack.publish("events.registration.demoted", registration("waitlisted", Some(1), "capacity_lowered")).await,
        stack.publish("events.registration.unregistered", registration("none", None, "organizer")).await,
        stack.publish("events.strike.given", strike).await,
        stack.publish("events.event.changed", changed).await,
        stack.publish("events.event.message", json!({"event_id": event, "event_title": "Winter party", "sender_username": "org",
            "subject": "Bring a coat", "body": "It is cold.", "recipient_ids": [ann.id]})).await,
        stack.publish("auth.membership.changed", json!({"group_id": uuid::Uuid::new_v4(), "group_slug": "party", "group_name": "Party committee",
            "group_kind": "committee", "user_id": ann.id, "change": "joined", "role": "member", "previous_role": null,
            "actor_id": uuid::Uuid::new_v4()})).await,
    ];
    // A duplicate delivery has no second effect.
    testkit::bus::publish(&stack.notify_iso.exchange, &published[0]).await;
    let listed = stack.wait_for(&notify, &ann, 10).await;
    let titles: Vec<&str> = listed
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    for expected in [
        "You are on the waiting list for Winter party",
        "A place opened for you at Winter party",
        "You have a place at Winter party",
        "You moved to the waiting list for Winter party",
        "You are no longer registered for Winter party",
        "You were given a strike at Winter party",
        "Winter party has changed",
        "Winter party: Bring a coat",
        "You joined Party committee as member",
    ] {
        assert!(titles.contains(&expected), "{expected} in {titles:?}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        stack.notifications(&notify, &ann).await.len(),
        10,
        "the duplicate added nothing"
    );
    let waitlisted = listed
        .iter()
        .find(|n| n["kind"] == "registration_waitlisted")
        .unwrap();
    assert!(waitlisted["body"].as_str().unwrap().contains("number 3"));
    notify.stop().await;
}

#[tokio::test]
async fn an_email_change_mails_the_link_to_the_new_address_and_tells_the_old() {
    let sink = testkit::SmtpSink::start();
    let stack = Stack::new(Some(sink.url())).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    mails(&sink, 1).await;
    let asked = stack
        .http
        .patch(format!("{}/v1/me", stack.auth))
        .bearer_auth(&ann.token)
        .json(&json!({"email": "ann@new.example.org", "current_password": ann.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 200);
    let received = mails(&sink, 3).await;
    let link = received
        .iter()
        .find(|m| m.contains("Confirm your new email address"))
        .unwrap();
    assert!(
        link.contains("X-Envelope-To: ann@new.example.org"),
        "{link}"
    );
    let unwrapped = link.replace("=\r\n", "").replace("=3D", "=");
    assert!(unwrapped.contains("confirm-email?token="), "{link}");
    let notice = received
        .iter()
        .find(|m| m.contains("about to change"))
        .unwrap();
    assert!(
        notice.contains("X-Envelope-To: ann@example.org"),
        "{notice}"
    );
    assert!(
        !notice.replace("=\r\n", "").contains("token="),
        "the old address never gets the link"
    );
    // Neither is listed in the app; the delivered link is redacted at rest.
    let listed = stack.notifications(&notify, &ann).await;
    assert!(
        listed
            .iter()
            .all(|n| !n["kind"].as_str().unwrap().starts_with("email_change")),
        "{listed:?}"
    );
    let url = stack.notify_iso.db.url.clone();
    testkit::eventually("the delivered link is redacted", || {
        let url = url.clone();
        async move {
            use diesel::{Connection, RunQueryDsl};
            #[derive(diesel::QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let mut conn = diesel::PgConnection::establish(&url).unwrap();
            diesel::sql_query("SELECT count(*) AS n FROM outgoing_mail WHERE text_body LIKE '%token=%' OR html_body LIKE '%token=%'")
                .get_result::<Count>(&mut conn)
                .unwrap()
                .n
                == 0
        }
    })
    .await;
    notify.stop().await;
}

#[tokio::test]
async fn scheduled_notices_and_offers_reach_each_recipient_in_the_app_and_by_mail() {
    let sink = testkit::SmtpSink::start();
    let stack = Stack::new(Some(sink.url())).await;
    let notify = stack.instance().await;
    let ann = stack.person("ann").await;
    let bob = stack.person("bob").await;
    stack.wait_for(&notify, &ann, 1).await;
    stack.wait_for(&notify, &bob, 1).await;
    mails(&sink, 2).await;
    let event = uuid::Uuid::new_v4();
    let reminder = |audience: &str, who: uuid::Uuid| {
        serde_json::to_value(contracts::events::Reminder {
            event_id: event,
            event_title: "Cabin trip".into(),
            event_starts_at: "2027-03-30T16:00:00Z".parse().unwrap(),
            event_location: "The cabin".into(),
            sign_off_deadline: "2027-03-29T21:00:00Z".parse().unwrap(),
            audience: audience.into(),
            can_cause_strikes: true,
            recipient_ids: vec![who],
        })
        .unwrap()
    };
    let mut offered = serde_json::to_value(contracts::events::Registration {
        registration_id: uuid::Uuid::new_v4(),
        event_id: event,
        event_title: "Cabin trip".into(),
        event_starts_at: "2027-03-30T16:00:00Z".parse().unwrap(),
        event_location: "The cabin".into(),
        sign_off_deadline: None,
        user_id: bob.id,
        status: "offered".into(),
        position: None,
        reason: String::new(),
        cause: String::new(),
    })
    .unwrap();
    offered["offer_expires_at"] = json!("2027-03-29T12:00:00Z");
    stack.publish("events.registration.offered", offered).await;
    stack
        .publish("events.event.reminder", reminder("participants", ann.id))
        .await;
    stack
        .publish("events.event.reminder", reminder("waiting_list", bob.id))
        .await;
    stack
        .publish(
            "events.registration.opened",
            serde_json::to_value(contracts::events::Opening {
                event_id: event,
                event_title: "Cabin trip".into(),
                event_starts_at: "2027-03-30T16:00:00Z".parse().unwrap(),
                event_location: "The cabin".into(),
                registration_opens_at: "2027-03-01T11:00:00Z".parse().unwrap(),
                registration_closes_at: "2027-03-20T11:00:00Z".parse().unwrap(),
                recipient_ids: vec![ann.id, bob.id],
            })
            .unwrap(),
        )
        .await;
    stack
        .publish(
            "events.attendance.not_taken",
            serde_json::to_value(contracts::events::AttendanceMissing {
                event_id: event,
                event_title: "Cabin trip".into(),
                event_ends_at: "2027-03-31T10:00:00Z".parse().unwrap(),
                participants: 12,
                reason: "no check-in was recorded".into(),
                recipient_ids: vec![ann.id],
            })
            .unwrap(),
        )
        .await;

    stack
        .publish(
            "events.evaluation.requested",
            serde_json::to_value(contracts::events::Evaluation {
                event_id: event,
                event_title: "Cabin trip".into(),
                form_id: uuid::Uuid::new_v4(),
                form_title: "How was it?".into(),
                recipient_ids: vec![ann.id],
            })
            .unwrap(),
        )
        .await;
    stack
        .publish(
            "events.registration.invited",
            serde_json::to_value(contracts::events::Invitation {
                event_id: event,
                event_title: "Cabin trip".into(),
                event_starts_at: "2027-03-30T16:00:00Z".parse().unwrap(),
                event_location: "The cabin".into(),
                user_id: ann.id,
                invited_by: "olga".into(),
                expires_at: "2027-03-20T11:00:00Z".parse().unwrap(),
            })
            .unwrap(),
        )
        .await;
    let anns = stack.wait_for(&notify, &ann, 6).await;
    let bobs = stack.wait_for(&notify, &bob, 4).await;
    let of = |list: &[Value], kind: &str| {
        list.iter()
            .find(|n| n["kind"] == kind)
            .unwrap_or_else(|| panic!("{kind} in {list:?}"))
            .clone()
    };
    let participant = of(&anns, "event_reminder");
    assert_eq!(
        participant["title"],
        "Sign-off deadline for Cabin trip: 2027-03-29 at 21:00 UTC"
    );
    assert!(participant["body"]
        .as_str()
        .unwrap()
        .contains("gives you a strike"));
    let waiting = of(&bobs, "event_reminder");
    assert!(waiting["body"]
        .as_str()
        .unwrap()
        .contains("If you are promoted"));
    assert!(!waiting["body"]
        .as_str()
        .unwrap()
        .contains("gives you a strike"));
    for list in [&anns, &bobs] {
        assert_eq!(
            of(list, "registration_opened")["title"],
            "Registration for Cabin trip is open"
        );
    }
    let offer = of(&bobs, "registration_offered");
    assert_eq!(offer["title"], "A place at Cabin trip is offered to you");
    assert!(offer["body"]
        .as_str()
        .unwrap()
        .contains("accept it before 2027-03-29 at 12:00 UTC"));
    let invitation = of(&anns, "registration_invited");
    assert_eq!(invitation["title"], "You are invited to Cabin trip");
    let text = invitation["body"].as_str().unwrap();
    assert!(
        text.contains("olga invited you")
            && text.contains("not registered until you accept")
            && text.contains("before 2027-03-20 at 11:00 UTC"),
        "{text}"
    );
    assert!(bobs.iter().all(|n| n["kind"] != "registration_invited"));
    let notice = of(&anns, "attendance_not_taken");
    assert_eq!(notice["title"], "No strikes were given after Cabin trip");
    assert!(notice["body"]
        .as_str()
        .unwrap()
        .contains("12 confirmed participant(s)"));
    assert!(bobs.iter().all(|n| n["kind"] != "attendance_not_taken"));
    let evaluate = of(&anns, "evaluation_requested");
    assert_eq!(evaluate["title"], "How was Cabin trip?");
    assert!(evaluate["link"].as_str().unwrap().contains("/forms/"));

    // Each goes out by mail too (after the two welcomes): an offer, two
    // reminders, two openings, a notice, an evaluation request and an
    // invitation.
    let received = mails(&sink, 10).await;
    for (to, subject) in [
        ("ann", "Sign-off deadline for Cabin trip"),
        ("bob", "Sign-off deadline for Cabin trip"),
        ("ann", "Registration for Cabin trip is open"),
        ("bob", "Registration for Cabin trip is open"),
        ("ann", "No strikes were given after Cabin trip"),
        ("bob", "is offered to you"),
        ("ann", "How was Cabin trip?"),
        ("ann", "You are invited to Cabin trip"),
    ] {
        assert!(
            received
                .iter()
                .any(|m| m.contains(&format!("X-Envelope-To: {to}@example.org"))
                    && m.contains(subject)),
            "{subject} to {to} in {received:?}"
        );
    }
    notify.stop().await;
}
