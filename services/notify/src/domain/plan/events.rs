//! Notifications for the events service's events.

use chrono::{DateTime, Utc};
use contracts::events::{
    AttendanceMissing, EventChange, EventMessage, Invitation, Opening, Registration, Reminder,
    Strike,
};
use contracts::EventsEvent;
use serde_json::json;
use uuid::Uuid;

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
            let title = format!("You have a place at {}", r.event_title);
            let body = format!(
                "Your registration for {}{} is confirmed.{}",
                r.event_title,
                place_and_time(r),
                deadline(r)
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
            let title = format!("You are on the waiting list for {}", r.event_title);
            let body = format!(
                "{} is full; you are number {} on the waiting list. We will tell you if a place opens.",
                r.event_title,
                position(r)
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
            let title = format!("A place opened for you at {}", r.event_title);
            let body = format!(
                "You moved from the waiting list to a place at {}{}.{}",
                r.event_title,
                place_and_time(r),
                deadline(r)
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
        EventsEvent::RegistrationOffered(o) => {
            let r = &o.registration;
            let title = format!("A place at {} is offered to you", r.event_title);
            let body = format!(
                "A place opened at {}{}. It is yours if you accept it before {}; \
                 otherwise it goes to the next on the waiting list.",
                r.event_title,
                place_and_time(r),
                when(o.offer_expires_at)
            );
            vec![registration(
                ctx,
                r,
                REGISTRATION_OFFERED,
                title,
                body,
                data,
            )]
        }
        EventsEvent::RegistrationInvited(i) => vec![invited(ctx, i, data)],
        EventsEvent::RegistrationDemoted(r) => {
            let why = match r.cause.as_str() {
                "priority_swap" => "a member of a priority group took the place",
                "capacity_lowered" => "the organizers lowered the number of places",
                _ => "the organizers moved you",
            };
            let title = format!("You moved to the waiting list for {}", r.event_title);
            let body = format!(
                "You lost your place at {}: {why}. You are number {} on the waiting list.",
                r.event_title,
                position(r)
            );
            vec![registration(
                ctx,
                r,
                REGISTRATION_DEMOTED,
                title,
                body,
                data,
            )]
        }
        EventsEvent::RegistrationUnregistered(r) => {
            let why = match r.cause.as_str() {
                "self" => "you left",
                "organizer" => "the organizers removed you",
                "account_deactivated" => "your account was deactivated",
                "declined_offer" => "you declined the offered place",
                "offer_expired" => "the offered place was not accepted in time",
                _ => "",
            };
            let title = format!("You are no longer registered for {}", r.event_title);
            let body = if why.is_empty() {
                format!("Your registration for {} ended.", r.event_title)
            } else {
                format!("Your registration for {} ended: {why}.", r.event_title)
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
        EventsEvent::EventChanged(c) => changed(ctx, c),
        EventsEvent::EventMessageSent(m) => message(ctx, m),
        EventsEvent::EventReminder(r) => reminder(ctx, r),
        EventsEvent::RegistrationOpened(o) => opened(ctx, o),
        EventsEvent::AttendanceNotTaken(a) => attendance_not_taken(ctx, a),
        EventsEvent::EvaluationRequested(e) => to_each(
            &e.recipient_ids,
            EVALUATION_REQUESTED,
            format!("How was {}?", e.event_title),
            format!(
                "Please answer \"{}\" about {}. Events that give strikes ask for the \
                 evaluations of events you attended in the last 30 days before you register.",
                e.form_title, e.event_title
            ),
            format!("{}/forms/{}", ctx.public_url, e.form_id),
            json!({"event_id": e.event_id, "event_title": e.event_title, "form_id": e.form_id}),
        ),
    }
}

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d at %H:%M UTC").to_string()
}

fn place_and_time(r: &Registration) -> String {
    let at = if r.event_location.is_empty() {
        String::new()
    } else {
        format!(" at {}", r.event_location)
    };
    format!("{at} on {}", when(r.event_starts_at))
}

fn deadline(r: &Registration) -> String {
    r.sign_off_deadline
        .map(|d| format!(" You can leave without a strike until {}.", when(d)))
        .unwrap_or_default()
}

fn position(r: &Registration) -> String {
    r.position.map_or("?".into(), |p| p.to_string())
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

/// An organizer's invitation: nothing is held until the person accepts it.
fn invited(ctx: &MailContext, i: &Invitation, data: &serde_json::Value) -> Planned {
    let place = if i.event_location.is_empty() {
        String::new()
    } else {
        format!(" at {}", i.event_location)
    };
    Planned {
        user_id: i.user_id,
        kind: REGISTRATION_INVITED,
        title: format!("You are invited to {}", i.event_title),
        body: format!(
            "{} invited you to {}{place} on {}. You are not registered until you accept: \
             accept or decline it under your invitations before {}.",
            i.invited_by,
            i.event_title,
            when(i.event_starts_at),
            when(i.expires_at)
        ),
        link: Some(format!("{}/events/{}", ctx.public_url, i.event_id)),
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
    let kind = s.kind.replace('_', " ");
    Planned {
        user_id: s.user_id,
        kind: STRIKE_GIVEN,
        title: format!("You were given a strike{at}"),
        body: format!(
            "{kind} ({} point(s)){}. You now have {} active strike point(s); this strike counts until {}.",
            s.points,
            if s.description.is_empty() {
                String::new()
            } else {
                format!(": {}", s.description)
            },
            s.active_points,
            when(s.expires_at)
        ),
        link: Some(format!("{}/events", ctx.public_url)),
        data: data.clone(),
        email_to: None,
    }
}

fn changed(ctx: &MailContext, c: &EventChange) -> Vec<Planned> {
    let cancelled = c.changes.iter().any(|x| x == "cancelled");
    let (title, body) = if cancelled {
        (
            format!("{} is cancelled", c.title),
            format!(
                "{}, planned for {}, is cancelled.",
                c.title,
                when(c.starts_at)
            ),
        )
    } else {
        let place = if c.location.is_empty() {
            String::new()
        } else {
            format!(" at {}", c.location)
        };
        (
            format!("{} has changed", c.title),
            format!("{} is now on {}{place}.", c.title, when(c.starts_at)),
        )
    };
    to_each(
        &c.recipient_ids,
        EVENT_CHANGED,
        title,
        body,
        format!("{}/events/{}", ctx.public_url, c.event_id),
        json!({"event_id": c.event_id, "title": c.title, "changes": c.changes,
               "starts_at": c.starts_at, "location": c.location}),
    )
}

fn message(ctx: &MailContext, m: &EventMessage) -> Vec<Planned> {
    to_each(
        &m.recipient_ids,
        EVENT_MESSAGE,
        format!("{}: {}", m.event_title, m.subject),
        format!("{} (from {})", m.body, m.sender_username),
        format!("{}/events/{}", ctx.public_url, m.event_id),
        json!({"event_id": m.event_id, "event_title": m.event_title, "sender_username": m.sender_username}),
    )
}

/// One notification per recipient, all alike.
fn to_each(
    recipients: &[Uuid],
    kind: &'static str,
    title: String,
    body: String,
    link: String,
    data: serde_json::Value,
) -> Vec<Planned> {
    recipients
        .iter()
        .map(|user_id| Planned {
            user_id: *user_id,
            kind,
            title: title.clone(),
            body: body.clone(),
            link: Some(link.clone()),
            data: data.clone(),
            email_to: None,
        })
        .collect()
}

fn reminder(ctx: &MailContext, r: &Reminder) -> Vec<Planned> {
    let deadline = when(r.sign_off_deadline);
    let body = if r.audience == "waiting_list" {
        format!(
            "You are on the waiting list for {}, on {}. If you are promoted after the \
             sign-off deadline ({deadline}), you must attend. Leave the waiting list before \
             then if you cannot.",
            r.event_title,
            when(r.event_starts_at)
        )
    } else if r.can_cause_strikes {
        format!(
            "You have a place at {}, on {}. Leave before the sign-off deadline ({deadline}) if \
             you cannot come: leaving after it, or not coming, gives you a strike.",
            r.event_title,
            when(r.event_starts_at)
        )
    } else {
        format!(
            "You have a place at {}, on {}. Leave before the sign-off deadline ({deadline}) if \
             you cannot come.",
            r.event_title,
            when(r.event_starts_at)
        )
    };
    to_each(
        &r.recipient_ids,
        EVENT_REMINDER,
        format!("Sign-off deadline for {}: {deadline}", r.event_title),
        body,
        format!("{}/events/{}", ctx.public_url, r.event_id),
        json!({"event_id": r.event_id, "event_title": r.event_title, "audience": r.audience,
               "sign_off_deadline": r.sign_off_deadline}),
    )
}

fn opened(ctx: &MailContext, o: &Opening) -> Vec<Planned> {
    to_each(
        &o.recipient_ids,
        REGISTRATION_OPENED,
        format!("Registration for {} is open", o.event_title),
        format!(
            "Registration for {}, on {}, opened at {} and closes at {}.",
            o.event_title,
            when(o.event_starts_at),
            when(o.registration_opens_at),
            when(o.registration_closes_at)
        ),
        format!("{}/events/{}", ctx.public_url, o.event_id),
        json!({"event_id": o.event_id, "event_title": o.event_title,
               "registration_opens_at": o.registration_opens_at}),
    )
}

fn attendance_not_taken(ctx: &MailContext, a: &AttendanceMissing) -> Vec<Planned> {
    to_each(
        &a.recipient_ids,
        ATTENDANCE_NOT_TAKEN,
        format!("No strikes were given after {}", a.event_title),
        format!(
            "{} ended {} with {} confirmed participant(s): {}. Check people in (or mark \
             attendance as taken) during your next event so no-shows get their strikes.",
            a.event_title,
            when(a.event_ends_at),
            a.participants,
            a.reason
        ),
        format!("{}/events/{}", ctx.public_url, a.event_id),
        json!({"event_id": a.event_id, "event_title": a.event_title, "participants": a.participants}),
    )
}
