//! Who writes an event: administrators, and the members (or the leader) of
//! its organizer group (`permissions`). These look the facts up: the event,
//! its organizer group and the caller's memberships (from the copy, asked
//! of auth with the caller's `token` on a miss).

use common::{db, ApiError, AuthUser, Infra};
use uuid::Uuid;

use crate::db::forms::{self, FormRow};
use crate::db::models::{EventRow, GroupRow};
use crate::db::{events, members};
use crate::domain::members as projection;
use crate::domain::permissions;
use crate::state::EventsState;

/// 403 (`users_only`, `not_writer`) unless `caller` writes events of `organizer`.
pub async fn require_writer(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    organizer: &GroupRow,
) -> Result<(), ApiError> {
    caller.require_user()?;
    if caller.is_admin() {
        return Ok(());
    }
    let memberships = projection::of_caller(infra, state, caller, token).await?;
    permissions::require_writer(caller, &memberships, organizer)
}

/// Event `id` if `caller` writes it; 404 when there is none.
pub async fn written_event(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    id: Uuid,
) -> Result<EventRow, ApiError> {
    let (event, organizer) = db::run(&infra.pool, move |conn| {
        let event = events::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
        let organizer = members::groups_by_id(conn, &[event.organizer_id])?
            .pop()
            .ok_or_else(|| ApiError::internal("an event's organizer group is unknown"))?;
        Ok((event, organizer))
    })
    .await?;
    require_writer(infra, state, caller, token, &organizer).await?;
    Ok(event)
}

/// Form `id` if `caller` writes its event; 404 when there is none.
pub async fn written_form(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    id: Uuid,
) -> Result<FormRow, ApiError> {
    let form = db::run(&infra.pool, move |conn| {
        forms::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such form"))
    })
    .await?;
    written_event(infra, state, caller, token, form.event_id).await?;
    Ok(form)
}
