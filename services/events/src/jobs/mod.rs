//! Scheduled jobs: the sign-off reminder and the wind-up after an event at
//! 12:00 local time (`EVENTS_TIME_ZONE`), and "registration has opened" and
//! the end of expired waiting-list offers within `EVENTS_JOBS_CHECK_MS`.
//!
//! Every instance runs the scheduler; each piece of work (one event's
//! reminder, opening notice or wind-up) is done exactly once: the instance
//! whose transaction inserts its claim (`job_runs`) does it in that same
//! transaction, with its outbox events and strikes, and every other instance
//! (or a restarted one) finds the claim and skips it. An instance that was
//! down at noon does the day's work when it starts.

mod after_event;
mod offers;
mod opened;
mod reminders;

use chrono::{Days, NaiveDate, Timelike};
use chrono_tz::Tz;
use common::Infra;
use tokio::sync::watch;

pub use crate::domain::local_time::start_of_day;
use crate::settings::EventsSettings;

/// The local hour of the daily jobs.
pub const DAILY_AT_HOUR: u32 = 12;

/// What a job needs besides the database.
#[derive(Clone)]
pub struct JobContext {
    pub infra: Infra,
    pub zone: Tz,
    /// Who claims, for the record (`host:port`).
    pub instance: String,
}

pub struct Scheduler {
    pub ctx: JobContext,
    pub settings: EventsSettings,
}

impl Scheduler {
    /// Looks at the clock every `EVENTS_JOBS_CHECK_MS` until shutdown. The
    /// daily jobs look again on every check after 12:00 (their queries skip
    /// what was claimed), so work that becomes due later that day (an event
    /// created after noon whose deadline is tomorrow) is not missed.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            let now = self.settings.clock.now();
            report("registration opened", opened::run(&self.ctx, now).await);
            report("offer expired", offers::run(&self.ctx, now).await);
            let local = now.with_timezone(&self.ctx.zone);
            if local.hour() >= DAILY_AT_HOUR {
                let day = local.date_naive();
                report(
                    "sign-off reminder",
                    reminders::run(&self.ctx, day, now).await,
                );
                report(
                    "after the event",
                    after_event::run(&self.ctx, day, now).await,
                );
            }
            tokio::select! {
                _ = tokio::time::sleep(self.settings.jobs_check_every) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}

fn report(job: &str, outcome: Result<usize, common::ApiError>) {
    match outcome {
        Ok(0) => {}
        Ok(done) => tracing::info!(job, events = done, "scheduled job done"),
        Err(error) => {
            tracing::warn!(job, %error, "scheduled job failed; will try again")
        }
    }
}

/// `day` plus `n` days.
pub fn plus_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(day)
}

/// `day` minus `n` days.
pub fn minus_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(n)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Oslo;

    #[test]
    fn local_days_start_at_local_midnight_on_daylight_saving_days() {
        let spring = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap_or_default();
        // 00:00 CET is 23:00 UTC the evening before; the next midnight is CEST.
        assert_eq!(
            start_of_day(spring, Oslo).to_rfc3339(),
            "2027-03-27T23:00:00+00:00"
        );
        assert_eq!(
            start_of_day(plus_days(spring, 1), Oslo).to_rfc3339(),
            "2027-03-28T22:00:00+00:00"
        );
        let autumn = NaiveDate::from_ymd_opt(2027, 10, 31).unwrap_or_default();
        assert_eq!(
            start_of_day(autumn, Oslo).to_rfc3339(),
            "2027-10-30T22:00:00+00:00"
        );
        assert_eq!(
            start_of_day(plus_days(autumn, 1), Oslo).to_rfc3339(),
            "2027-10-31T23:00:00+00:00"
        );
        assert_eq!(
            minus_days(autumn, 1),
            NaiveDate::from_ymd_opt(2027, 10, 30).unwrap_or_default()
        );
    }
}
