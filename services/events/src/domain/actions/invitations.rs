//! Invitations besides sending (`invite`) and accepting
//! (`accept_invitation`): the person sees theirs and declines; organizers
//! see and withdraw the open ones.

use chrono::{DateTime, Utc};
use common::{db, ApiError, Infra};
use uuid::Uuid;

use crate::db::invitations as queries;
use crate::domain::invitations;
use crate::views::{MyInvitation, OpenInvitation};

/// `user_id`'s open invitations, soonest event first.
pub async fn mine(
    infra: &Infra,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<MyInvitation>, ApiError> {
    let rows = db::run(&infra.pool, move |conn| {
        Ok(queries::open_of_user(conn, user_id, now)?)
    })
    .await?;
    Ok(rows
        .into_iter()
        .map(|i| MyInvitation {
            event_id: i.event_id,
            event_title: i.event_title,
            event_starts_at: i.event_starts_at,
            event_location: i.event_location,
            invited_by: i.invited_by.unwrap_or_default(),
            invited_at: i.invited_at,
            expires_at: i.expires_at,
        })
        .collect())
}

/// `user_id` declines their invitation to `event_id`: nothing is kept; 404
/// when none is open.
pub async fn decline(
    infra: &Infra,
    user_id: Uuid,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    db::run(&infra.pool, move |conn| {
        invitations::decline(conn, event_id, user_id, now)
    })
    .await
}

/// The open invitations to `event_id`, for its organizers.
pub async fn open_of_event(
    infra: &Infra,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<OpenInvitation>, ApiError> {
    let rows = db::run(&infra.pool, move |conn| {
        Ok(queries::open_of_event(conn, event_id, now)?)
    })
    .await?;
    Ok(rows
        .into_iter()
        .map(|i| OpenInvitation {
            user_id: i.user_id,
            username: i.username.unwrap_or_default(),
            invited_by: i.invited_by,
            invited_at: i.invited_at,
        })
        .collect())
}

/// The organizers take back their invitation of `user_id`; 404 when none.
pub async fn withdraw(infra: &Infra, event_id: Uuid, user_id: Uuid) -> Result<(), ApiError> {
    db::run(&infra.pool, move |conn| {
        invitations::withdraw(conn, event_id, user_id)
    })
    .await
}
