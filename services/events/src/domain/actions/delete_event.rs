//! An organizer deletes an event: everyone registered is told it is
//! cancelled, and its image files go with it.

use common::images::{self, ImageRecord};
use common::{ApiError, Infra};
use uuid::Uuid;

use crate::db::events;
use crate::domain::{engine, publish};
use crate::state::EventsState;

pub async fn delete_event(infra: &Infra, state: &EventsState, id: Uuid) -> Result<(), ApiError> {
    let image = infra
        .transaction(move |conn| {
            let event = engine::lock(conn, id)?;
            publish::event_cancelled(conn, &event)?;
            events::delete(conn, id)?;
            Ok(event.image)
        })
        .await?;
    // What the store refuses now, the sweep takes.
    if let Some(record) = ImageRecord::from_json(image.as_ref()) {
        images::delete_files(&state.media, &record).await;
    }
    state.openings.forget(id);
    state.list.clear();
    Ok(())
}
