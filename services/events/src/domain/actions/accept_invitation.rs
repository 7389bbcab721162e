//! A person accepts an organizer's invitation: it must still be open, and
//! then they register by the ordinary rules, as if they had pressed the
//! button themselves; the invitation is used up.

use chrono::{DateTime, Utc};
use common::{db, ApiError, AuthUser, Infra};
use uuid::Uuid;

use super::register::register;
use crate::db::invitations as queries;
use crate::domain::invitations;
use crate::state::EventsState;
use crate::views::RegistrationView;

/// 404 when no open invitation (declined, expired or never sent); the
/// registration's refusals otherwise.
pub async fn accept_invitation(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegistrationView, ApiError> {
    let user_id = caller.id;
    db::run(&infra.pool, move |conn| {
        invitations::require_open(conn, event_id, user_id, now).map(|_| ())
    })
    .await?;
    let view = register(infra, state, caller, token, event_id, now).await?;
    db::run(&infra.pool, move |conn| {
        Ok(queries::delete(conn, event_id, user_id)?)
    })
    .await?;
    Ok(view)
}
