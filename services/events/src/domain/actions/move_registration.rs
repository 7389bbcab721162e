//! An organizer moves a registration between a place and the waiting list.

use chrono::{DateTime, Utc};
use common::{ApiError, Infra};
use uuid::Uuid;

use crate::db::models::{CONFIRMED, WAITLISTED};
use crate::db::{members, registrations};
use crate::domain::engine;
use crate::views::{self, RegistrationView};

/// Where a registration goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// A free place (409 `no_free_place` when there is none).
    Place,
    /// The waiting list; the first other waiter takes the place (409
    /// `nobody_waiting` when nobody does).
    WaitingList,
}

impl Destination {
    /// From a registration status: `confirmed` or `waitlisted`.
    pub fn from_status(status: &str) -> Option<Self> {
        match status {
            CONFIRMED => Some(Self::Place),
            WAITLISTED => Some(Self::WaitingList),
            _ => None,
        }
    }
}

/// Moves `user_id`'s registration at `event_id` to `to`; 404 when none.
pub async fn move_registration(
    infra: &Infra,
    event_id: Uuid,
    user_id: Uuid,
    to: Destination,
    now: DateTime<Utc>,
) -> Result<RegistrationView, ApiError> {
    infra
        .transaction(move |conn| {
            let mut event = engine::lock(conn, event_id)?;
            let registration = registrations::find(conn, event_id, user_id)?
                .ok_or_else(|| ApiError::not_found("that user is not registered"))?;
            let moved = match to {
                Destination::Place => engine::move_to_place(conn, &mut event, &registration)?,
                Destination::WaitingList => {
                    engine::move_to_waiting(conn, &mut event, &registration, now)?
                }
            };
            let name = members::username(conn, user_id)?;
            Ok(views::registration(conn, moved, name)?)
        })
        .await
}
