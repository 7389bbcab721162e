//! An organizer invites a person: no place is held until they accept
//! (`accept_invitation`); the invitation expires when registration closes.

use chrono::{DateTime, Utc};
use common::{ApiError, AuthUser, Infra};
use uuid::Uuid;

use crate::domain::invitations::{self, Sent};

/// `inviter` invites `user_id` to `event_id`; the person is notified once.
pub async fn invite(
    infra: &Infra,
    inviter: &AuthUser,
    event_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Sent, ApiError> {
    let (inviter, name) = (inviter.id, inviter.username.clone());
    infra
        .transaction(move |conn| {
            invitations::invite(conn, event_id, user_id, (inviter, &name), now)
        })
        .await
}
