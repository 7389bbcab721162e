//! Planning is pure: an event in, the notifications it asks for out.

use contracts::Event;
use serde_json::{json, Value};
use uuid::Uuid;

use super::plan;
use crate::domain::kinds::*;
use crate::domain::templates::MailContext;

fn ctx() -> MailContext {
    MailContext {
        platform_name: "Platform".into(),
        public_url: "https://example.org".into(),
        base_domain: "example.org".into(),
    }
}

fn planned(event_type: &str, data: Value) -> Vec<super::Planned> {
    let event = Event::parse(event_type, 1, &data).expect("a documented payload");
    plan(&ctx(), &event, &data)
}

fn user(status: &str) -> Value {
    json!({"user_id": Uuid::new_v4(), "username": "ann", "email": "ann@example.org",
           "full_name": "", "status": status, "roles": []})
}

#[test]
fn a_registration_welcomes_to_the_address_it_names_and_mentions_approval() {
    let active = planned("auth.user.registered", user("active"));
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].kind, WELCOME);
    assert_eq!(active[0].title, "Welcome to Platform, ann!");
    assert_eq!(active[0].email_to.as_deref(), Some("ann@example.org"));
    assert!(active[0].body.contains("ready"));
    let pending = planned("auth.user.registered", user("pending"));
    assert!(pending[0].body.contains("approval"), "{}", pending[0].body);
}

#[test]
fn a_profile_update_asks_for_nothing() {
    assert!(planned("auth.user.updated", user("active")).is_empty());
}

#[test]
fn a_reset_mails_the_link_but_keeps_it_out_of_the_stored_data() {
    let out = planned(
        "auth.password_reset_requested",
        json!({"user_id": Uuid::new_v4(), "username": "ann", "email": "ann@example.org",
               "reset_url": "https://example.org/reset-password?token=SECRET",
               "expires_at": "2026-11-30T12:00:00Z"}),
    );
    assert_eq!(out[0].kind, PASSWORD_RESET);
    assert_eq!(
        out[0].link.as_deref(),
        Some("https://example.org/reset-password?token=SECRET")
    );
    assert!(!out[0].data.to_string().contains("SECRET"));
}

#[test]
fn membership_changes_are_titled_by_what_changed() {
    let membership = |change: &str, role: Value| {
        planned(
            "auth.membership.changed",
            json!({"group_id": Uuid::new_v4(), "group_slug": "board", "group_name": "The Board",
                   "user_id": Uuid::new_v4(), "change": change, "role": role,
                   "previous_role": null, "actor_id": Uuid::new_v4()}),
        )
        .remove(0)
    };
    assert_eq!(
        membership("joined", json!("member")).title,
        "You joined The Board as member"
    );
    assert_eq!(
        membership("role_changed", json!("leader")).title,
        "You are now leader of The Board"
    );
    let left = membership("left", Value::Null);
    assert_eq!(left.title, "You left The Board");
    assert_eq!(
        left.link.as_deref(),
        Some("https://example.org/groups/board")
    );
}

#[test]
fn a_follow_notifies_the_followee_with_a_link_to_the_follower() {
    let followee = Uuid::new_v4();
    let out = planned(
        "social.user.followed",
        json!({"follower_id": Uuid::new_v4(), "follower_username": "ann lee",
               "followee_id": followee, "followee_username": "bob"}),
    );
    assert_eq!(out[0].user_id, followee);
    assert_eq!(out[0].kind, NEW_FOLLOWER);
    assert_eq!(
        out[0].link.as_deref(),
        Some("https://example.org/ann%20lee")
    );
    assert!(planned(
        "social.user.unfollowed",
        json!({"follower_id": Uuid::new_v4(), "follower_username": "ann",
               "followee_id": followee, "followee_username": "bob"}),
    )
    .is_empty());
}

#[test]
fn registrations_say_the_place_position_and_why() {
    let registration = |extra: Value| {
        let mut data = json!({"registration_id": Uuid::new_v4(), "event_id": Uuid::new_v4(),
                              "event_title": "Cabin trip", "event_starts_at": "2026-12-01T17:00:00Z",
                              "event_location": "Cabin", "sign_off_deadline": "2026-11-28T12:00:00Z",
                              "user_id": Uuid::new_v4(), "status": "confirmed", "position": null,
                              "reason": "", "cause": ""});
        if let (Some(data), Some(extra)) = (data.as_object_mut(), extra.as_object()) {
            data.extend(extra.clone());
        }
        data
    };
    let waiting = planned(
        "events.registration.waitlisted",
        registration(json!({"status": "waitlisted", "position": 3})),
    );
    assert_eq!(waiting[0].kind, REGISTRATION_WAITLISTED);
    assert!(waiting[0].body.contains("number 3"), "{}", waiting[0].body);
    let confirmed = planned("events.registration.confirmed", registration(json!({})));
    assert!(
        confirmed[0]
            .body
            .contains("at Cabin on 2026-12-01 at 17:00 UTC")
            && confirmed[0]
                .body
                .contains("without a strike until 2026-11-28 at 12:00 UTC"),
        "{}",
        confirmed[0].body
    );
    let demoted = planned(
        "events.registration.demoted",
        registration(json!({"status": "waitlisted", "position": 1, "cause": "priority_swap"})),
    );
    assert_eq!(demoted[0].kind, REGISTRATION_DEMOTED);
    assert!(
        demoted[0].body.contains("priority group") && demoted[0].body.contains("number 1"),
        "{}",
        demoted[0].body
    );
    let ended = planned(
        "events.registration.unregistered",
        registration(json!({"status": "none", "cause": "account_deactivated"})),
    );
    assert!(
        ended[0]
            .body
            .ends_with("ended: your account was deactivated."),
        "{}",
        ended[0].body
    );
}

#[test]
fn a_changed_event_notifies_everyone_registered() {
    let recipients = [Uuid::new_v4(), Uuid::new_v4()];
    let out = planned(
        "events.event.changed",
        json!({"event_id": Uuid::new_v4(), "title": "Dinner", "starts_at": "2026-12-02T18:00:00Z",
               "ends_at": "2026-12-02T23:00:00Z", "location": "Hall", "changes": ["time"],
               "recipient_ids": recipients}),
    );
    assert_eq!(
        out.iter().map(|p| p.user_id).collect::<Vec<_>>(),
        recipients
    );
    assert_eq!(out[0].kind, EVENT_CHANGED);
    assert_eq!(
        out[0].body,
        "Dinner is now on 2026-12-02 at 18:00 UTC at Hall."
    );
}

#[test]
fn an_event_message_notifies_each_recipient() {
    let recipients = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
    let out = planned(
        "events.event.message",
        json!({"event_id": Uuid::new_v4(), "event_title": "Dinner", "sender_username": "org",
               "subject": "Dress code", "body": "Suits.", "recipient_ids": recipients}),
    );
    let to: Vec<Uuid> = out.iter().map(|p| p.user_id).collect();
    assert_eq!(to, recipients);
    assert_eq!(out[0].title, "Dinner: Dress code");
    assert_eq!(out[0].body, "Suits. (from org)");
}
