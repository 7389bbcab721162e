//! An organizer removes a registration: never a strike (it was not the
//! person's choice); a freed place goes to the first waiter.

use chrono::{DateTime, Utc};
use common::{ApiError, Infra};
use uuid::Uuid;

use crate::db::registrations;
use crate::domain::{engine, publish};

/// 404 when `user_id` is not registered for `event_id`.
pub async fn remove(
    infra: &Infra,
    event_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    infra
        .transaction(move |conn| {
            let mut event = engine::lock(conn, event_id)?;
            let registration = registrations::find(conn, event_id, user_id)?
                .ok_or_else(|| ApiError::not_found("that user is not registered"))?;
            engine::unregister(conn, &mut event, &registration, publish::BY_ORGANIZER, now)
        })
        .await
}
