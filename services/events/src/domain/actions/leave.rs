//! A person leaves an event: a waiting-list entry always may; a place by
//! the sign-off deadline, later with a strike where the event gives them,
//! and not at all in the last hours. The place goes to the next in line.

use chrono::{DateTime, Utc};
use common::{ApiError, Infra};
use uuid::Uuid;

use crate::db::registrations;
use crate::domain::rules::{self, Leaving};
use crate::domain::{engine, members as projection, publish, strikes};
use crate::state::EventsState;

/// `user_id` leaves `event_id` at `now`; 404 when not registered.
pub async fn leave(
    infra: &Infra,
    state: &EventsState,
    user_id: Uuid,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let zone = state.settings.time_zone;
    let struck = infra
        .transaction(move |conn| {
            let mut event = engine::lock(conn, event_id)?;
            let registration = registrations::find(conn, event_id, user_id)?
                .ok_or_else(|| ApiError::not_found("you are not registered for this event"))?;
            let mut struck = false;
            if registration.is_confirmed()
                && rules::may_leave_place(&event, now)? == Leaving::WithStrike
            {
                struck = strikes::give(
                    conn,
                    strikes::Given {
                        user_id,
                        kind: strikes::PAST_DEADLINE,
                        description: "left after the sign-off deadline",
                        event: Some(&event),
                        given_by: None,
                        now,
                        zone,
                    },
                )?
                .is_some();
            }
            engine::unregister(conn, &mut event, &registration, publish::BY_SELF, now)?;
            Ok(struck)
        })
        .await?;
    infra.metrics.count("event_signoffs");
    if struck {
        // A strike point can cost a priority the person had elsewhere.
        infra
            .transaction(move |conn| projection::recompute_priority(conn, user_id, now))
            .await?;
    }
    Ok(())
}
