//! An organizer's add of another person is an invitation: it holds no place
//! and exposes nobody to strikes or to the organizers' sight of their health
//! data until the person accepts it. Accepting registers them by the ordinary
//! rules and gates (`routes::registrations`); declining ends it; it expires
//! when registration closes. Administrators may still place someone directly
//! (`routes::organizer`), which shows in the person's registrations.

use chrono::{DateTime, Utc};
use common::ApiError;
use contracts::events::{Invitation, RegistrationInvited};
use diesel::PgConnection;
use uuid::Uuid;

use super::engine;
use super::refusal::Refusal;
use crate::db::models::EventRow;
use crate::db::{invitations, members, registrations};

/// Until when an invitation to `event` sent at `now` stays open (when
/// registration closes), or why none can be sent.
pub fn expiry(event: &EventRow, now: DateTime<Utc>) -> Result<DateTime<Utc>, Refusal> {
    if !event.sign_up {
        return Err(Refusal::SignUpOff);
    }
    if event.closed {
        return Err(Refusal::InvitationToClosedEvent);
    }
    match event.registration_closes_at {
        Some(closes) if closes > now => Ok(closes),
        _ => Err(Refusal::InvitationWouldExpire),
    }
}

/// An invitation sent (or one already open), as its sender sees it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    pub expires_at: DateTime<Utc>,
    /// False when the person was invited already (nothing is sent again).
    pub new: bool,
}

/// `inviter` invites `user_id` to `event_id`; the person is notified once.
pub fn invite(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
    inviter: (Uuid, &str),
    now: DateTime<Utc>,
) -> Result<Sent, ApiError> {
    let event = engine::lock(conn, event_id)?;
    let expires_at = expiry(&event, now)?;
    let username = members::names(conn, &[user_id])?
        .pop()
        .map(|(_, name, _)| name)
        .ok_or_else(|| ApiError::not_found("no such user"))?;
    if registrations::find(conn, event_id, user_id)?.is_some() {
        return Err(Refusal::PersonRegistered.into());
    }
    let new = invitations::insert(conn, event_id, user_id, inviter.0, now)?;
    if new {
        common::outbox::publish(
            conn,
            &RegistrationInvited(Invitation {
                event_id,
                event_title: event.title.clone(),
                event_starts_at: event.starts_at,
                event_location: event.location.clone(),
                user_id,
                invited_by: inviter.1.to_owned(),
                expires_at,
            }),
        )?;
    }
    Ok(Sent {
        event_id,
        user_id,
        username,
        expires_at,
        new,
    })
}

/// 404 unless `user_id` has an open invitation to `event_id`.
pub fn require_open(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<invitations::MyInvitation, ApiError> {
    invitations::open_one(conn, event_id, user_id, now)?.ok_or_else(|| {
        ApiError::not_found("no open invitation to this event (declined, expired or never sent)")
    })
}

/// The person declines (or, after accepting, closes) their invitation.
pub fn decline(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    require_open(conn, event_id, user_id, now)?;
    invitations::delete(conn, event_id, user_id)?;
    Ok(())
}

/// An organizer withdraws an invitation not answered yet.
pub fn withdraw(conn: &mut PgConnection, event_id: Uuid, user_id: Uuid) -> Result<(), ApiError> {
    if invitations::delete(conn, event_id, user_id)? {
        Ok(())
    } else {
        Err(ApiError::not_found(
            "that person has no invitation to this event",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_lasts_until_registration_closes() {
        let now = Utc::now();
        let mut event = EventRow::for_tests(now);
        event.registration_closes_at = Some(now + chrono::Duration::days(2));
        assert_eq!(expiry(&event, now).ok(), event.registration_closes_at);
        event.registration_closes_at = Some(now);
        assert_eq!(expiry(&event, now), Err(Refusal::InvitationWouldExpire));
        event.registration_closes_at = Some(now + chrono::Duration::days(2));
        event.closed = true;
        assert_eq!(expiry(&event, now), Err(Refusal::InvitationToClosedEvent));
        event.closed = false;
        event.sign_up = false;
        assert_eq!(expiry(&event, now), Err(Refusal::SignUpOff));
    }
}
