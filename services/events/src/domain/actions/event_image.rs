//! An event's cover image: set from an upload the pipeline stored
//! (`common::images`, docs/media.md), replacing and deleting the one
//! before; or removed with its files.

use common::images::{self, ImageRecord, ImageView};
use common::{ApiError, Infra};
use uuid::Uuid;

use crate::db::events;
use crate::domain::engine;
use crate::state::EventsState;

/// Makes the stored upload `record` the image of `event_id`. Whichever
/// files lose (the old ones, or these if the event is gone) are deleted.
pub async fn set_image(
    infra: &Infra,
    state: &EventsState,
    event_id: Uuid,
    record: ImageRecord,
) -> Result<ImageView, ApiError> {
    let (json, url) = (record.to_json(), record.display_url());
    let replaced = infra
        .transaction(move |conn| {
            let event = engine::lock(conn, event_id)?;
            events::set_image(conn, event_id, Some(json), &url)?;
            Ok(event.image)
        })
        .await;
    images::settle(&state.media, &record, replaced).await?;
    state.list.clear();
    Ok(record.view())
}

/// Removes the image of `event_id` and its files; 404 when it has none.
pub async fn remove_image(
    infra: &Infra,
    state: &EventsState,
    event_id: Uuid,
) -> Result<(), ApiError> {
    let before = infra
        .transaction(move |conn| {
            let event = engine::lock(conn, event_id)?;
            let record = ImageRecord::from_json(event.image.as_ref())
                .ok_or_else(|| ApiError::not_found("this event has no image"))?;
            events::set_image(conn, event_id, None, "")?;
            Ok(record)
        })
        .await?;
    images::delete_files(&state.media, &before).await;
    state.list.clear();
    Ok(())
}
