//! A waiter answers an offered place: accepting confirms it, declining ends
//! the registration and offers the place to the next waiter. Either way
//! only while the offer lasts.

use chrono::{DateTime, Utc};
use common::{ApiError, AuthUser, Infra};
use uuid::Uuid;

use crate::db::registrations;
use crate::domain::engine;
use crate::views::{self, RegistrationView};

/// The offered place becomes the caller's; 404 when not registered, 409
/// `not_offered` or `offer_expired`.
pub async fn accept_offer(
    infra: &Infra,
    caller: &AuthUser,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegistrationView, ApiError> {
    let (user_id, username) = (caller.id, caller.username.clone());
    infra
        .transaction(move |conn| {
            let mut event = engine::lock(conn, event_id)?;
            let registration = registrations::find(conn, event_id, user_id)?
                .ok_or_else(|| ApiError::not_found("you are not registered for this event"))?;
            let accepted = engine::accept_offer(conn, &mut event, &registration, now)?;
            Ok(views::own_registration(conn, accepted, username)?)
        })
        .await
}

/// The caller lets the offered place go (and their registration with it).
pub async fn decline_offer(
    infra: &Infra,
    user_id: Uuid,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    infra
        .transaction(move |conn| {
            let mut event = engine::lock(conn, event_id)?;
            let registration = registrations::find(conn, event_id, user_id)?
                .ok_or_else(|| ApiError::not_found("you are not registered for this event"))?;
            engine::decline_offer(conn, &mut event, &registration, now)
        })
        .await
}
