//! The sign-off reminder, at 12:00 on the day before and the day of the
//! deadline: participants are reminded that leaving late (or not coming)
//! costs a strike where the event gives strikes; waiting-list entries that
//! if they are promoted they must attend. Once per event and deadline.

use chrono::{DateTime, NaiveDate, Utc};
use common::ApiError;
use contracts::events::{EventReminder, Reminder};

use super::{plus_days, start_of_day, JobContext};
use crate::db::models::CONFIRMED;
use crate::db::{due, events, job_runs, registrations};

pub const PARTICIPANTS: &str = "participants";
pub const WAITING_LIST: &str = "waiting_list";

/// Reminds of every deadline today or tomorrow (local `day`) that has not
/// passed; how many events were reminded.
pub async fn run(ctx: &JobContext, day: NaiveDate, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let until = start_of_day(plus_days(day, 2), ctx.zone);
    let due = common::db::run(&ctx.infra.pool, move |conn| {
        Ok(due::deadlines(conn, now, until)?)
    })
    .await?;
    let mut reminded = 0;
    for event_id in due {
        let instance = ctx.instance.clone();
        let done = ctx
            .infra
            .transaction(move |conn| {
                let Some(event) = events::find(conn, event_id)? else {
                    return Ok(false);
                };
                let Some(deadline) = event.sign_off_deadline else {
                    return Ok(false);
                };
                let still_due =
                    event.sign_up && !event.closed && deadline > now && deadline < until;
                if !still_due
                    || !job_runs::claim(
                        conn,
                        job_runs::SIGN_OFF_REMINDER,
                        event_id,
                        deadline,
                        &instance,
                    )?
                {
                    return Ok(false);
                }
                let (participants, waiting): (Vec<_>, Vec<_>) =
                    registrations::of_event(conn, event_id)?
                        .into_iter()
                        .partition(|r| r.status == CONFIRMED);
                for (audience, people) in [(PARTICIPANTS, participants), (WAITING_LIST, waiting)] {
                    if people.is_empty() {
                        continue;
                    }
                    common::outbox::publish(
                        conn,
                        &EventReminder(Reminder {
                            event_id,
                            event_title: event.title.clone(),
                            event_starts_at: event.starts_at,
                            event_location: event.location.clone(),
                            sign_off_deadline: deadline,
                            audience: audience.to_owned(),
                            can_cause_strikes: event.can_cause_strikes,
                            recipient_ids: people.into_iter().map(|r| r.user_id).collect(),
                        }),
                    )?;
                }
                Ok(true)
            })
            .await?;
        reminded += usize::from(done);
    }
    Ok(reminded)
}
