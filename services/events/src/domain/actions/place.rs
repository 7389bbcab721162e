//! An administrator places a person directly (an organizer invites
//! instead: `invite`). The placement is the organizer's choice, not the
//! person's: it never causes a strike and shows no health data.

use chrono::{DateTime, Utc};
use common::{ApiError, Infra};
use uuid::Uuid;

use crate::db::{members, strikes};
use crate::domain::engine;
use crate::domain::priority::{is_prioritized, PriorityInput};
use crate::domain::refusal::Refusal;
use crate::views::{self, RegistrationView};

/// Places `user_id` at `event_id`: a place, a priority swap or the waiting list.
pub async fn place(
    infra: &Infra,
    event_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegistrationView, ApiError> {
    infra
        .transaction(move |conn| {
            let groups: Vec<Uuid> = members::current_memberships(conn, user_id)?
                .into_iter()
                .map(|m| m.group_id)
                .collect();
            let points = strikes::active_points(conn, user_id, now)?;
            let mut event = engine::lock(conn, event_id)?;
            if !event.sign_up {
                return Err(Refusal::SignUpOff.into());
            }
            let prioritized = is_prioritized(PriorityInput {
                pools: &event.pools(),
                groups: &groups,
                added_by_organizer: true,
                enforces_previous_strikes: event.enforces_previous_strikes,
                active_points: points,
            });
            let registration = engine::register(conn, &mut event, user_id, prioritized, true)?;
            let name = members::username(conn, user_id)?;
            Ok(views::registration(conn, registration, name)?)
        })
        .await
}
