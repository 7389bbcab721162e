//! The scheduled jobs with a clock the tests set: the sign-off reminder and
//! the wind-up after an event at 12:00 Oslo time (on daylight-saving days
//! too), "registration has opened" within a check of the opening, each
//! exactly once with two instances and a restart.

use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Oslo;
use common::clock::{ManualClock, SharedClock};
use contracts::{Event, EventsEvent};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{at, count, json, open_event, Stack};

fn oslo_on(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Oslo.from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Long enough for several checks of the clock (every 100 ms in tests).
async fn settle() {
    tokio::time::sleep(Duration::from_millis(700)).await;
}

async fn started(clock: &ManualClock) -> Stack {
    let stack = Stack::start_with_clock(SharedClock::manual(clock)).await;
    stack.group("cabin", "committee").await;
    stack
}

fn reminders(stack: &Stack) -> Vec<contracts::events::Reminder> {
    stack
        .published()
        .into_iter()
        .filter_map(|e| match e {
            Event::Events(EventsEvent::EventReminder(r)) => Some(r.0),
            _ => None,
        })
        .collect()
}

fn strikes(stack: &Stack) -> Vec<contracts::events::Strike> {
    stack
        .published()
        .into_iter()
        .filter_map(|e| match e {
            Event::Events(EventsEvent::StrikeGiven(s)) => Some(s.0),
            _ => None,
        })
        .collect()
}

async fn until_published<T>(what: &str, read: impl Fn() -> Vec<T>, n: usize) -> Vec<T> {
    testkit::eventually(what, || {
        let found = read().len();
        async move { found >= n }
    })
    .await;
    read()
}

async fn patch(stack: &Stack, token: &str, event: &str, body: Value) {
    json(
        stack
            .api(Method::PATCH, &format!("/events/{event}"), Some(token))
            .json(&body)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
}

#[tokio::test]
async fn sign_off_reminders_go_out_at_noon_once_across_instances_restarts_and_moves() {
    let clock = ManualClock::new(Utc::now());
    let stack = started(&clock).await;
    let admin = stack.admin.token.clone();
    let today = Utc::now().with_timezone(&Oslo).date_naive();
    let day = |n: u64| today.checked_add_days(Days::new(n)).unwrap();
    let mut body = open_event("cabin", 1);
    body["sign_off_deadline"] = json!(at(oslo_on(day(3), 18, 0)));
    let event = stack.event(&admin, body).await;
    let id = event["id"].as_str().unwrap();
    let mut later = open_event("cabin", 5);
    later["sign_off_deadline"] = json!(at(oslo_on(day(6), 18, 0)));
    let later = stack.event(&admin, later).await;
    let (ann, ann_token) = stack.made_up("ann").await;
    let (bob, bob_token) = stack.made_up("bob").await;
    json(stack.register(id, &ann_token).await, 201).await;
    json(stack.register(id, &bob_token).await, 201).await;
    json(
        stack
            .register(later["id"].as_str().unwrap(), &ann_token)
            .await,
        201,
    )
    .await;
    let second = stack.instance().await;

    clock.set(oslo_on(day(2), 11, 59));
    settle().await;
    assert!(reminders(&stack).is_empty(), "nothing before noon");

    clock.set(oslo_on(day(2), 12, 0));
    let sent = until_published("two reminders", || reminders(&stack), 2).await;
    assert_eq!(sent.len(), 2);
    let to = |audience: &str| {
        sent.iter()
            .find(|r| r.audience == audience)
            .unwrap_or_else(|| panic!("{audience} in {sent:?}"))
    };
    assert_eq!(to("participants").recipient_ids, vec![ann]);
    assert_eq!(to("waiting_list").recipient_ids, vec![bob]);
    assert!(to("participants").can_cause_strikes);
    assert_eq!(to("participants").event_title, "Cabin trip");
    assert_eq!(to("participants").sign_off_deadline, oslo_on(day(3), 18, 0));

    // A restarted instance, and the deadline's own day: nothing again.
    second.stop().await;
    let third = stack.instance().await;
    clock.set(oslo_on(day(3), 12, 0));
    settle().await;
    assert_eq!(reminders(&stack).len(), 2, "once per deadline");
    let claims = count(
        &mut stack.db(),
        &format!("SELECT count(*) AS n FROM job_runs WHERE job = 'sign_off_reminder' AND subject = '{id}'"),
    );
    assert_eq!(claims, 1);

    // A moved deadline is reminded of again.
    patch(
        &stack,
        &admin,
        id,
        json!({"sign_off_deadline": at(oslo_on(day(3), 20, 0))}),
    )
    .await;
    let sent = until_published("the moved deadline's reminders", || reminders(&stack), 4).await;
    assert_eq!(sent.len(), 4);
    assert!(sent[2..]
        .iter()
        .all(|r| r.sign_off_deadline == oslo_on(day(3), 20, 0)));

    // Once the deadline has passed, and for a deadline days away: nothing.
    clock.set(oslo_on(day(3), 21, 0));
    settle().await;
    assert_eq!(reminders(&stack).len(), 4);
    third.stop().await;
    stack.stop().await;
}

/// The day after 27 March 2027, summer time begins at 02:00: local noon is
/// 10:00 UTC, not 11:00.
#[tokio::test]
async fn no_shows_get_a_strike_at_noon_the_day_after_once_across_instances_and_restarts() {
    let clock = ManualClock::new(Utc::now());
    let stack = started(&clock).await;
    let admin = stack.admin.token.clone();
    let mut body = open_event("cabin", 4);
    body["starts_at"] = json!("2027-03-27T18:00:00+01:00");
    body["ends_at"] = json!("2027-03-27T23:30:00+01:00");
    body["registration_closes_at"] = json!("2027-03-20T12:00:00+01:00");
    body["sign_off_deadline"] = json!("2027-03-25T12:00:00+01:00");
    let event = stack.event(&admin, body).await;
    let id = event["id"].as_str().unwrap();
    // Eve is placed by an administrator, not by her own choice: absent, she
    // gets no strike.
    let (eve, _) = stack.made_up("eve").await;
    json(
        stack
            .api(
                Method::PUT,
                &format!("/events/{id}/registrations/{eve}"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let mut people = vec![];
    for name in ["ann", "bob", "cat", "dan"] {
        let (user, token) = stack.made_up(name).await;
        let registration = json(stack.register(id, &token).await, 201).await;
        people.push((user, token, registration));
    }
    assert_eq!(people[3].2["status"], "waitlisted");
    // Ann is checked in by the code her QR shows.
    let code = people[0].2["check_in_code"].as_str().unwrap().to_owned();
    json(
        stack
            .api(
                Method::POST,
                &format!("/events/{id}/check-in"),
                Some(&admin),
            )
            .json(&json!({"code": code}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    json(
        stack
            .api(Method::POST, &format!("/events/{id}/forms"), Some(&admin))
            .json(&json!({"kind": "evaluation", "title": "How was it?",
                          "questions": [{"text": "Say", "type": "text"}]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let second = stack.instance().await;

    clock.set(utc("2027-03-28T09:59:00Z"));
    settle().await;
    assert!(strikes(&stack).is_empty(), "11:59 in Oslo: nothing yet");

    clock.set(utc("2027-03-28T10:00:00Z"));
    let given = until_published("two no-show strikes", || strikes(&stack), 2).await;
    let mut struck: Vec<_> = given.iter().map(|s| s.user_id).collect();
    struck.sort();
    let mut absent = vec![people[1].0, people[2].0];
    absent.sort();
    assert_eq!(
        struck, absent,
        "bob and cat; not ann (checked in), not dan (waiting), not eve (placed by an administrator)"
    );
    assert!(given.iter().all(|s| s.kind == "no_show"
        && s.points == 2
        && s.event_id.map(|e| e.to_string()) == Some(id.to_owned())));

    // Ann, who came, is asked to evaluate the event.
    let invited: Vec<_> = stack
        .published()
        .into_iter()
        .filter_map(|e| match e {
            Event::Events(EventsEvent::EvaluationRequested(e)) => Some(e.0),
            _ => None,
        })
        .collect();
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].recipient_ids, vec![people[0].0]);
    assert_eq!(invited[0].form_title, "How was it?");

    second.stop().await;
    let third = stack.instance().await;
    clock.set(utc("2027-03-28T10:05:00Z"));
    settle().await;
    assert_eq!(strikes(&stack).len(), 2, "once, whoever looks");
    assert_eq!(
        count(
            &mut stack.db(),
            "SELECT count(*) AS n FROM strikes WHERE kind = 'no_show'"
        ),
        2
    );
    let bobs = json(
        stack
            .api(Method::GET, "/me/strikes", Some(&people[1].1))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(bobs["total"], 1);
    assert_eq!(bobs["items"][0]["kind"], "no_show");
    assert_eq!(bobs["items"][0]["points"], 2);
    third.stop().await;
    stack.stop().await;
}

/// Winter time begins 31 October 2027 at 03:00: local noon is 11:00 UTC.
#[tokio::test]
async fn without_attendance_the_organizers_are_told_and_nobody_is_struck() {
    let clock = ManualClock::new(Utc::now());
    let stack = started(&clock).await;
    let leader = stack.person("leader").await;
    stack.join(leader.id, "cabin", "leader").await;
    let admin = stack.admin.token.clone();
    let ended = |can_cause_strikes: bool| {
        let mut body = open_event("cabin", 5);
        body["starts_at"] = json!("2027-10-30T18:00:00+02:00");
        body["ends_at"] = json!("2027-10-30T23:00:00+02:00");
        body["registration_closes_at"] = json!("2027-10-20T12:00:00+02:00");
        body["sign_off_deadline"] = json!("2027-10-25T12:00:00+02:00");
        body["can_cause_strikes"] = json!(can_cause_strikes);
        body
    };
    let untaken = stack.event(&admin, ended(true)).await;
    let taken = stack.event(&admin, ended(true)).await;
    let harmless = stack.event(&admin, ended(false)).await;
    let (_, ann) = stack.made_up("ann").await;
    let (bob, bob_token) = stack.made_up("bob").await;
    let (_, cat) = stack.made_up("cat").await;
    json(
        stack.register(untaken["id"].as_str().unwrap(), &ann).await,
        201,
    )
    .await;
    json(
        stack
            .register(taken["id"].as_str().unwrap(), &bob_token)
            .await,
        201,
    )
    .await;
    json(
        stack.register(harmless["id"].as_str().unwrap(), &cat).await,
        201,
    )
    .await;
    // Nobody came to the second, and its organizers said they looked.
    let mark = stack
        .api(
            Method::PUT,
            &format!("/events/{}/attendance-taken", taken["id"].as_str().unwrap()),
            Some(&leader.token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(mark.status(), 204);

    clock.set(utc("2027-10-31T10:59:00Z"));
    settle().await;
    assert!(stack.published().iter().all(|e| !matches!(
        e,
        Event::Events(EventsEvent::AttendanceNotTaken(_) | EventsEvent::StrikeGiven(_))
    )));

    clock.set(utc("2027-10-31T11:00:00Z"));
    let notices = until_published(
        "the organizers' notice",
        || {
            stack
                .published()
                .into_iter()
                .filter_map(|e| match e {
                    Event::Events(EventsEvent::AttendanceNotTaken(a)) => Some(a.0),
                    _ => None,
                })
                .collect::<Vec<_>>()
        },
        1,
    )
    .await;
    assert_eq!(notices.len(), 1);
    assert_eq!(
        notices[0].event_id.to_string(),
        untaken["id"].as_str().unwrap()
    );
    assert_eq!(notices[0].recipient_ids, vec![leader.id]);
    assert_eq!(notices[0].participants, 1);
    let given = until_published("bob's strike", || strikes(&stack), 1).await;
    settle().await;
    assert_eq!(
        strikes(&stack).len(),
        1,
        "only bob, at the event marked as taken"
    );
    assert_eq!(given[0].user_id, bob);
    assert_eq!(
        count(
            &mut stack.db(),
            "SELECT count(*) AS n FROM job_runs WHERE job = 'after_event'"
        ),
        3,
        "all three wound up"
    );
    stack.stop().await;
}

#[tokio::test]
async fn registration_opened_is_announced_to_favourites_once_and_again_when_moved_later() {
    let clock = ManualClock::new(Utc::now());
    let stack = started(&clock).await;
    let admin = stack.admin.token.clone();
    let opens = Utc::now() + chrono::Duration::days(2);
    let mut body = open_event("cabin", 5);
    body["registration_opens_at"] = json!(at(opens));
    let event = stack.event(&admin, body).await;
    let id = event["id"].as_str().unwrap();
    let (ann, ann_token) = stack.made_up("ann").await;
    let favourite = stack
        .api(
            Method::PUT,
            &format!("/events/{id}/favourite"),
            Some(&ann_token),
        )
        .send()
        .await
        .unwrap();
    assert!(favourite.status().is_success());
    stack.made_up("bob").await;
    let second = stack.instance().await;
    let openings = || {
        stack
            .published()
            .into_iter()
            .filter_map(|e| match e {
                Event::Events(EventsEvent::RegistrationOpened(o)) => Some(o.0),
                _ => None,
            })
            .collect::<Vec<_>>()
    };

    clock.set(opens - chrono::Duration::minutes(1));
    settle().await;
    assert!(openings().is_empty());
    clock.set(opens + chrono::Duration::seconds(5));
    let sent = until_published("the opening", openings, 1).await;
    assert_eq!(sent[0].recipient_ids, vec![ann]);
    assert_eq!(sent[0].registration_opens_at.timestamp(), opens.timestamp());
    settle().await;
    assert_eq!(openings().len(), 1, "once");

    // A restarted instance does not announce it again.
    second.stop().await;
    let second = stack.instance().await;
    clock.set(opens + chrono::Duration::seconds(30));
    settle().await;
    assert_eq!(openings().len(), 1, "once across a restart");

    let moved = opens + chrono::Duration::days(1);
    patch(
        &stack,
        &admin,
        id,
        json!({"registration_opens_at": at(moved)}),
    )
    .await;
    clock.set(moved + chrono::Duration::seconds(5));
    let sent = until_published("the moved opening", openings, 2).await;
    assert_eq!(sent[1].registration_opens_at.timestamp(), moved.timestamp());
    settle().await;
    assert_eq!(openings().len(), 2);
    second.stop().await;
    stack.stop().await;
}

/// The reminder of a deadline on 29 March 2027 goes at 12:00 on the 28th,
/// the first day of summer time: 10:00 UTC.
#[tokio::test]
async fn the_sign_off_reminder_keeps_to_local_noon_when_summer_time_begins() {
    let clock = ManualClock::new(Utc::now());
    let stack = started(&clock).await;
    let admin = stack.admin.token.clone();
    let mut body = open_event("cabin", 5);
    body["starts_at"] = json!("2027-04-01T18:00:00+02:00");
    body["ends_at"] = json!("2027-04-01T23:00:00+02:00");
    body["registration_closes_at"] = json!("2027-03-25T12:00:00+01:00");
    body["sign_off_deadline"] = json!("2027-03-29T18:00:00+02:00");
    let event = stack.event(&admin, body).await;
    let (ann, token) = stack.made_up("ann").await;
    json(
        stack.register(event["id"].as_str().unwrap(), &token).await,
        201,
    )
    .await;

    clock.set(utc("2027-03-27T11:00:00Z"));
    settle().await;
    assert!(
        reminders(&stack).is_empty(),
        "noon on the 27th: the deadline is two days away"
    );
    clock.set(utc("2027-03-28T09:59:00Z"));
    settle().await;
    assert!(reminders(&stack).is_empty(), "11:59 in Oslo");
    clock.set(utc("2027-03-28T10:00:00Z"));
    let sent = until_published("the reminder", || reminders(&stack), 1).await;
    assert_eq!(sent[0].recipient_ids, vec![ann]);
    stack.stop().await;
}
