//! What an event's organizers may see of and do to the people on it. Nobody's
//! data or standing changes because an organizer acted alone: an organizer's
//! add is an invitation (`domain::invitations`), and only people on the event
//! by their own choice (`RegistrationRow::by_own_choice`) show their health
//! data and photo consent, can get a no-show strike and receive messages.

use chrono::{DateTime, Duration, Utc};

use super::refusal::Refusal;
use crate::db::models::EventRow;

/// Organizers see allergies and photo consent from when registration closes
/// (the list is final: catering and photos are planned then) until this many
/// days after the event ends (for the bills and the photos), never outside.
pub const HEALTH_DATA_DAYS_AFTER_END: i64 = 14;

/// When the organizers of `event` see its participants' allergies and photo
/// consent: `[from, until)`; none for an event without registration.
pub fn health_data_window(event: &EventRow) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let from = event.registration_closes_at?;
    Some((
        from,
        event.ends_at + Duration::days(HEALTH_DATA_DAYS_AFTER_END),
    ))
}

/// Whether the organizers of `event` see health data and photo consent now
/// (of the participants there by their own choice).
pub fn shows_health_data(event: &EventRow, now: DateTime<Utc>) -> bool {
    health_data_window(event).is_some_and(|(from, until)| from <= now && now < until)
}

/// Organizers' messages per event within [`MESSAGE_WINDOW`].
pub const MESSAGES_PER_WINDOW: i64 = 10;
pub const MESSAGE_WINDOW: Duration = Duration::hours(24);

/// 429 once the event's organizers sent [`MESSAGES_PER_WINDOW`] messages in
/// the last [`MESSAGE_WINDOW`] (`oldest` is the oldest of those), with the
/// seconds until the next may go.
pub fn may_send_message(
    sent: i64,
    oldest: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if sent < MESSAGES_PER_WINDOW {
        return Ok(());
    }
    let free_at = oldest.map_or(now + MESSAGE_WINDOW, |at| at + MESSAGE_WINDOW);
    let wait = (free_at - now).num_seconds().max(1);
    Err(Refusal::MessageLimit {
        per_window: MESSAGES_PER_WINDOW,
        window_hours: MESSAGE_WINDOW.num_hours(),
        next_at: free_at,
        wait_seconds: wait.unsigned_abs(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_message_in_a_day_waits_until_the_first_is_a_day_old() {
        let now = Utc::now();
        assert!(may_send_message(9, Some(now - Duration::hours(1)), now).is_ok());
        let refused = may_send_message(10, Some(now - Duration::hours(23)), now).unwrap_err();
        let Refusal::MessageLimit { wait_seconds, .. } = refused else {
            panic!("{refused:?}");
        };
        assert_eq!(wait_seconds, 3600);
    }
}
