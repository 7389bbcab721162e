//! The rules of events, registrations and strikes, apart from HTTP.

pub mod actions;
pub mod engine;
pub mod event_input;
pub mod forms;
pub mod ical;
pub mod invitations;
pub mod local_time;
pub mod members;
pub mod openings;
pub mod permissions;
pub mod priority;
pub mod privacy;
pub mod publish;
pub mod refusal;
pub mod rules;
pub mod strikes;
pub mod validate;
pub mod writers;

/// An Oslo wall-clock time, for the tests of local-time rules.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn oslo(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono_tz::Europe::Oslo
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&chrono::Utc)
}
