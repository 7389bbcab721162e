//! An organizer creates an event (the handler checked they write for its
//! organizer group).

use common::{db, ApiError, Infra};
use diesel::PgConnection;
use uuid::Uuid;

use crate::db::{categories, events};
use crate::domain::validate::{self, EventFields};
use crate::state::EventsState;
use crate::views::{self, EventView};

/// Creates the event of `fields` by `created_by`; 422 naming a wrong field.
pub async fn create_event(
    infra: &Infra,
    state: &EventsState,
    created_by: Uuid,
    fields: EventFields,
) -> Result<EventView, ApiError> {
    validate::check(&fields)?;
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
