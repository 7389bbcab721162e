//! Offers nobody answered: once an offer expires, the registration ends and
//! the place is offered to the next waiter. Each runs under the event's lock
//! and checks the offer is still there, so two instances end it once.

use chrono::{DateTime, Utc};
use common::ApiError;

use super::JobContext;
use crate::db::models::OFFERED;
use crate::db::registrations;
use crate::domain::{engine, publish};

/// Ends every expired offer; how many.
pub async fn run(ctx: &JobContext, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let expired = common::db::run(&ctx.infra.pool, move |conn| {
        Ok(registrations::expired_offers(conn, now)?)
    })
    .await?;
    let mut ended = 0;
    for (event_id, registration_id) in expired {
        let done = ctx
            .infra
            .transaction(move |conn| {
                let mut event = engine::lock(conn, event_id)?;
                let Some(registration) = registrations::by_id(conn, registration_id)? else {
                    return Ok(false);
                };
                let expired = registration.status == OFFERED
                    && registration.offer_expires_at.is_some_and(|at| at <= now);
                if expired {
                    engine::unregister(
                        conn,
                        &mut event,
                        &registration,
                        publish::OFFER_EXPIRED,
                        now,
                    )?;
                }
                Ok(expired)
            })
            .await?;
        ended += usize::from(done);
    }
    Ok(ended)
}
