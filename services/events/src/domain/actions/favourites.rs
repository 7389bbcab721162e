//! Favourite events (the list's `favourites=true` filter).

use common::{db, ApiError, Infra};
use uuid::Uuid;

use crate::db::events;

/// Makes `event_id` one of `user_id`'s favourites (`on`) or not; the same
/// again changes nothing. 404 when there is no such event.
pub async fn set_favourite(
    infra: &Infra,
    user_id: Uuid,
    event_id: Uuid,
    on: bool,
) -> Result<(), ApiError> {
    db::run(&infra.pool, move |conn| {
        events::find(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
        Ok(events::set_favourite(conn, user_id, event_id, on)?)
    })
    .await
    .map(|_| ())
}
