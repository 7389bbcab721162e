//! "Registration has opened", to those who marked the event as a favourite:
//! once per event and opening time, so a later opening is announced again.

use chrono::{DateTime, Utc};
use common::ApiError;
use contracts::events::{Opening, RegistrationOpened};

use super::JobContext;
use crate::db::{due, events, job_runs};

/// Announces every opening that has come; how many events were announced.
pub async fn run(ctx: &JobContext, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let due = common::db::run(&ctx.infra.pool, move |conn| Ok(due::openings(conn, now)?)).await?;
    let mut announced = 0;
    for event_id in due {
        let instance = ctx.instance.clone();
        let done = ctx
            .infra
            .transaction(move |conn| {
                let Some(event) = events::find(conn, event_id)? else {
                    return Ok(false);
                };
                let (Some(opens_at), Some(closes_at)) =
                    (event.registration_opens_at, event.registration_closes_at)
                else {
                    return Ok(false);
                };
                if opens_at > now
                    || !job_runs::claim(
                        conn,
                        job_runs::REGISTRATION_OPENED,
                        event_id,
                        opens_at,
                        &instance,
                    )?
                {
                    return Ok(false);
                }
                let recipient_ids = due::favourers(conn, event_id)?;
                if !recipient_ids.is_empty() {
                    common::outbox::publish(
                        conn,
                        &RegistrationOpened(Opening {
                            event_id,
                            event_title: event.title,
                            event_starts_at: event.starts_at,
                            event_location: event.location,
                            registration_opens_at: opens_at,
                            registration_closes_at: closes_at,
                            recipient_ids,
                        }),
                    )?;
                }
                Ok(true)
            })
            .await?;
        announced += usize::from(done);
    }
    Ok(announced)
}
