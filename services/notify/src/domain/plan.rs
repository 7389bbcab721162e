//! What each event means for whom: the notifications an event asks for
//! (payloads in docs/events.md).

use chrono::{DateTime, Utc};
use common::outbox::Envelope;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::kinds::*;
use super::templates::MailContext;

/// The event types the notify consumer binds.
pub const EVENTS: &[&str] = &[
    "auth.user.registered",
    "auth.user.updated",
    "auth.password_reset_requested",
    "auth.membership.changed",
    "social.user.followed",
    "events.registration.confirmed",
    "events.registration.waitlisted",
    "events.registration.promoted",
    "events.registration.unregistered",
    "events.strike.given",
    "events.event.message",
];

/// A notification an event asks for.
#[derive(Debug, Clone)]
pub struct Planned {
    pub user_id: Uuid,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub data: serde_json::Value,
    /// Where to mail it when the event itself names the address (sign-up,
    /// password reset); otherwise the recipient's address on file.
    pub email_to: Option<String>,
}

fn data<T: DeserializeOwned>(event: &Envelope) -> Result<T, String> {
    serde_json::from_value(event.data.clone()).map_err(|e| {
        format!(
            "{} v{} payload is not as documented: {e}",
            event.event_type, event.version
        )
    })
}

#[derive(Deserialize)]
pub struct UserData {
    pub user_id: Uuid,
    pub username: String,
    pub email: String,
    pub status: String,
}

#[derive(Deserialize)]
struct ResetData {
    user_id: Uuid,
    username: String,
    email: String,
    reset_url: String,
    expires_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct MembershipData {
    group_slug: String,
    group_name: String,
    user_id: Uuid,
    change: String,
    role: Option<String>,
}

#[derive(Deserialize)]
struct FollowData {
    follower_username: String,
    followee_id: Uuid,
}

#[derive(Deserialize)]
struct RegistrationData {
    event_id: Uuid,
    event_title: String,
    event_starts_at: Option<DateTime<Utc>>,
    user_id: Uuid,
    position: Option<i64>,
    reason: Option<String>,
}

#[derive(Deserialize)]
struct StrikeData {
    user_id: Uuid,
    event_title: Option<String>,
    reason: String,
    active_strikes: i64,
}

#[derive(Deserialize)]
struct EventMessageData {
    event_id: Uuid,
    event_title: String,
    sender_username: String,
    subject: String,
    body: String,
    recipient_ids: Vec<Uuid>,
}

fn starts(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| format!(" on {}", t.format("%Y-%m-%d at %H:%M UTC")))
        .unwrap_or_default()
}

/// The notifications `event` asks for (none for events that only update the
/// copy of users).
pub fn plan(ctx: &MailContext, event: &Envelope) -> Result<Vec<Planned>, String> {
    let one = |user_id, kind, title: String, body: String, link: Option<String>, email_to| {
        Ok(vec![Planned {
            user_id,
            kind,
            title,
            body,
            link,
            data: event.data.clone(),
            email_to,
        }])
    };
    let url = &ctx.public_url;
    match event.event_type.as_str() {
        "auth.user.registered" => {
            let user: UserData = data(event)?;
            let body = if user.status == "pending" {
                "Your account is waiting for an administrator's approval; we will let you know."
                    .to_owned()
            } else {
                "Your account is ready. Sign in to follow people, join events and more.".to_owned()
            };
            one(
                user.user_id,
                WELCOME,
                format!("Welcome to {}, {}!", ctx.platform_name, user.username),
                body,
                Some(format!("{url}/login")),
                Some(user.email),
            )
        }
        "auth.password_reset_requested" => {
            let reset: ResetData = data(event)?;
            let mut planned = one(
                reset.user_id,
                PASSWORD_RESET,
                "Reset your password".to_owned(),
                format!(
                    "Someone (hopefully you, {}) asked to reset your password. The link below works once, until {}. \
                     If it was not you, ignore this mail: your password stays as it is.",
                    reset.username,
                    reset.expires_at.format("%Y-%m-%d %H:%M UTC")
                ),
                Some(reset.reset_url),
                Some(reset.email),
            )?;
            // The link is a secret: keep it out of the stored data.
            planned[0].data = json!({"expires_at": reset.expires_at});
            Ok(planned)
        }
        "auth.membership.changed" => {
            let m: MembershipData = data(event)?;
            let role = m.role.unwrap_or_else(|| "member".into());
            let title = match m.change.as_str() {
                "joined" => format!("You joined {} as {role}", m.group_name),
                "role_changed" => format!("You are now {role} of {}", m.group_name),
                _ => format!("You left {}", m.group_name),
            };
            one(
                m.user_id,
                GROUP_MEMBERSHIP,
                title,
                format!("Your membership of {} changed.", m.group_name),
                Some(format!("{url}/groups/{}", m.group_slug)),
                None,
            )
        }
        "social.user.followed" => {
            let f: FollowData = data(event)?;
            one(
                f.followee_id,
                NEW_FOLLOWER,
                format!("{} follows you", f.follower_username),
                format!(
                    "{} now sees your messages on their timeline.",
                    f.follower_username
                ),
                Some(format!("{url}/{}", f.follower_username.replace(' ', "%20"))),
                None,
            )
        }
        kind @ ("events.registration.confirmed"
        | "events.registration.waitlisted"
        | "events.registration.promoted"
        | "events.registration.unregistered") => {
            let r: RegistrationData = data(event)?;
            let when = starts(r.event_starts_at);
            let (kind, title, body) = match kind {
                "events.registration.confirmed" => (
                    REGISTRATION_CONFIRMED,
                    format!("You have a place at {}", r.event_title),
                    format!("Your registration for {}{when} is confirmed.", r.event_title),
                ),
                "events.registration.waitlisted" => (
                    REGISTRATION_WAITLISTED,
                    format!("You are on the waiting list for {}", r.event_title),
                    format!(
                        "{} is full; you are number {} on the waiting list. We will tell you if a place opens.",
                        r.event_title,
                        r.position.map_or("?".into(), |p| p.to_string())
                    ),
                ),
                "events.registration.promoted" => (
                    REGISTRATION_PROMOTED,
                    format!("A place opened for you at {}", r.event_title),
                    format!("You moved from the waiting list to a place at {}{when}.", r.event_title),
                ),
                _ => (
                    REGISTRATION_UNREGISTERED,
                    format!("You are no longer registered for {}", r.event_title),
                    match r.reason {
                        Some(reason) => format!("Your registration for {} ended: {reason}", r.event_title),
                        None => format!("Your registration for {} ended.", r.event_title),
                    },
                ),
            };
            one(
                r.user_id,
                kind,
                title,
                body,
                Some(format!("{url}/events/{}", r.event_id)),
                None,
            )
        }
        "events.strike.given" => {
            let s: StrikeData = data(event)?;
            let at = s
                .event_title
                .map(|t| format!(" at {t}"))
                .unwrap_or_default();
            one(
                s.user_id,
                STRIKE_GIVEN,
                format!("You were given a strike{at}"),
                format!(
                    "Reason: {}. You now have {} active strike(s).",
                    s.reason, s.active_strikes
                ),
                Some(format!("{url}/events")),
                None,
            )
        }
        "events.event.message" => {
            let m: EventMessageData = data(event)?;
            Ok(m.recipient_ids
                .iter()
                .map(|user_id| Planned {
                    user_id: *user_id,
                    kind: EVENT_MESSAGE,
                    title: format!("{}: {}", m.event_title, m.subject),
                    body: format!("{} (from {})", m.body, m.sender_username),
                    link: Some(format!("{url}/events/{}", m.event_id)),
                    data: json!({"event_id": m.event_id, "event_title": m.event_title, "sender_username": m.sender_username}),
                    email_to: None,
                })
                .collect())
        }
        _ => Ok(Vec::new()),
    }
}
