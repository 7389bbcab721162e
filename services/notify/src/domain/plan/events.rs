//! Notifications for the events service's events.

use chrono::{DateTime, Utc};
use contracts::events::{EventMessage, Registration, Strike};
use contracts::EventsEvent;
use serde_json::json;

use super::Planned;
use crate::domain::kinds::*;
use crate::domain::templates::MailContext;

pub(super) fn plan(
    ctx: &MailContext,
    event: &EventsEvent,
    data: &serde_json::Value,
) -> Vec<Planned> {
    match event {
        EventsEvent::RegistrationConfirmed(r) => {
            let (title, body) = (
                format!("You have a place at {}", r.event_title),
                format!(
                    "Your registration for {}{} is confirmed.",
                    r.event_title,
                    starts(r.event_starts_at)
                ),
            );
            vec![registration(
                ctx,
                r,
                REGISTRATION_CONFIRMED,
                title,
                body,
                data,
            )]
        }
        EventsEvent::RegistrationWaitlisted(r) => {
            let (title, body) = (
                format!("You are on the waiting list for {}", r.event_title),
                format!(
                    "{} is full; you are number {} on the waiting list. We will tell you if a place opens.",
                    r.event_title,
                    r.position.map_or("?".into(), |p| p.to_string())
                ),
            );
            vec![registration(
                ctx,
                r,
                REGISTRATION_WAITLISTED,
                title,
                body,
                data,
            )]
        }
        EventsEvent::RegistrationPromoted(r) => {
            let (title, body) = (
                format!("A place opened for you at {}", r.event_title),
                format!(
                    "You moved from the waiting list to a place at {}{}.",
                    r.event_title,
                    starts(r.event_starts_at)
                ),
            );
            vec![registration(
                ctx,
                r,
                REGISTRATION_PROMOTED,
                title,
                body,
                data,
            )]
        }
        EventsEvent::RegistrationUnregistered(r) => {
            let title = format!("You are no longer registered for {}", r.event_title);
            let body = match &r.reason {
                Some(reason) => format!("Your registration for {} ended: {reason}", r.event_title),
                None => format!("Your registration for {} ended.", r.event_title),
            };
            vec![registration(
                ctx,
                r,
                REGISTRATION_UNREGISTERED,
                title,
                body,
                data,
            )]
        }
        EventsEvent::StrikeGiven(s) => vec![strike(ctx, s, data)],
        EventsEvent::EventMessageSent(m) => message(ctx, m),
    }
}

fn starts(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| format!(" on {}", t.format("%Y-%m-%d at %H:%M UTC")))
        .unwrap_or_default()
}

fn registration(
    ctx: &MailContext,
    r: &Registration,
    kind: &'static str,
    title: String,
    body: String,
    data: &serde_json::Value,
) -> Planned {
    Planned {
        user_id: r.user_id,
        kind,
        title,
        body,
        link: Some(format!("{}/events/{}", ctx.public_url, r.event_id)),
        data: data.clone(),
        email_to: None,
    }
}

fn strike(ctx: &MailContext, s: &Strike, data: &serde_json::Value) -> Planned {
    let at = s
        .event_title
        .as_ref()
        .map(|t| format!(" at {t}"))
        .unwrap_or_default();
    Planned {
        user_id: s.user_id,
        kind: STRIKE_GIVEN,
        title: format!("You were given a strike{at}"),
        body: format!(
            "Reason: {}. You now have {} active strike(s).",
            s.reason, s.active_strikes
        ),
        link: Some(format!("{}/events", ctx.public_url)),
        data: data.clone(),
        email_to: None,
    }
}

fn message(ctx: &MailContext, m: &EventMessage) -> Vec<Planned> {
    m.recipient_ids
        .iter()
        .map(|user_id| Planned {
            user_id: *user_id,
            kind: EVENT_MESSAGE,
            title: format!("{}: {}", m.event_title, m.subject),
            body: format!("{} (from {})", m.body, m.sender_username),
            link: Some(format!("{}/events/{}", ctx.public_url, m.event_id)),
            data: json!({"event_id": m.event_id, "event_title": m.event_title, "sender_username": m.sender_username}),
            email_to: None,
        })
        .collect()
}
