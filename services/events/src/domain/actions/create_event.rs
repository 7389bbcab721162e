//! An organizer creates an event for a group they write for.

use common::{db, ApiError, AuthUser, Infra};
use diesel::PgConnection;
use uuid::Uuid;

use crate::db::{categories, events};
use crate::domain::event_input::{self, NewEvent};
use crate::domain::validate;
use crate::state::EventsState;
use crate::views::{self, EventView};

/// `caller` creates the event `new`; 403 `not_writer` unless they write for
/// its organizer, 422 naming a wrong field.
pub async fn create_event(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    new: NewEvent,
) -> Result<EventView, ApiError> {
    let fields = event_input::fields_of_new(infra, state, caller, token, new).await?;
    validate::check(&fields)?;
    let created_by = caller.id;
    let view = db::run(&infra.pool, move |conn| {
        category_exists(conn, fields.category_id)?;
        let row = events::insert(conn, &fields, created_by)?;
        Ok(views::event(conn, row)?)
    })
    .await?;
    state.list.clear();
    Ok(view)
}

/// 422 unless the category, if any, exists.
pub(super) fn category_exists(conn: &mut PgConnection, id: Option<Uuid>) -> Result<(), ApiError> {
    match id {
        Some(id) if !categories::exists(conn, id)? => {
            Err(ApiError::field("category_id", "no such category"))
        }
        _ => Ok(()),
    }
}
