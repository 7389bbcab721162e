//! An organizer changes an event. While people are registered, its start,
//! end, closing and sign-off deadline cannot move into the past; a new
//! capacity promotes or demotes; participants are told of a moved time or
//! place.

use chrono::{DateTime, Utc};
use common::{ApiError, AuthUser, Infra};

use super::create_event::category_exists;
use crate::db::events;
use crate::db::models::EventRow;
use crate::domain::event_input::{self, EventChangeRequest};
use crate::domain::validate::{self, EventFields};
use crate::domain::{engine, publish};
use crate::state::EventsState;
use crate::views::{self, EventView};

/// `caller` (a writer of `current`) applies `change`; 422 naming a wrong field.
pub async fn update_event(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    current: EventRow,
    change: EventChangeRequest,
    now: DateTime<Utc>,
) -> Result<EventView, ApiError> {
    let fields = event_input::fields_after(infra, state, caller, token, &current, change).await?;
    validate::check(&fields)?;
    let id = current.id;
    let view = infra
        .transaction(move |conn| {
            category_exists(conn, fields.category_id)?;
            let mut event = engine::lock(conn, id)?;
            let has_participants = event.confirmed_count + event.waiting_count > 0;
            validate::schedule_change(&EventFields::from(&event), &fields, has_participants, now)?;
            let before = event.clone();
            let updated = events::update(conn, id, &fields)?;
            event = EventRow {
                confirmed_count: event.confirmed_count,
                waiting_count: event.waiting_count,
                capacity: event.capacity,
                ..updated
            };
            if fields.capacity != event.capacity {
                engine::set_capacity(conn, &mut event, fields.capacity, now)?;
            }
            publish::event_changed(conn, &before, &event)?;
            let row =
                events::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
            Ok(views::event(conn, row)?)
        })
        .await?;
    state.openings.forget(id);
    state.list.clear();
    Ok(view)
}
