//! Whether a person may register themselves now: the rules checked before a
//! place is looked at, in order, each refusal saying which rule.

use super::refusal::Refusal;
use chrono::{DateTime, Duration, Utc};

use crate::db::models::EventRow;

/// From this many active points, registration opens 3 hours late.
pub const FIRST_DELAY_POINTS: i64 = 1;
/// From this many, 12 hours late.
pub const SECOND_DELAY_POINTS: i64 = 2;

/// How long after the opening a user with `active_points` may register.
pub fn strike_delay(active_points: i64) -> Duration {
    if active_points >= SECOND_DELAY_POINTS {
        Duration::hours(12)
    } else if active_points >= FIRST_DELAY_POINTS {
        Duration::hours(3)
    } else {
        Duration::zero()
    }
}

/// Rule 1's time part, answerable from memory: not before the opening.
pub fn not_before_opening(
    opens_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    match opens_at {
        Some(opens) if now < opens => Err(Refusal::RegistrationNotOpen { opens_at: opens }),
        _ => Ok(()),
    }
}

/// Rules 2 and 3 for a self-registration.
pub fn may_register(
    event: &EventRow,
    now: DateTime<Utc>,
    active_points: i64,
    prioritized: bool,
) -> Result<(), Refusal> {
    if !event.sign_up {
        return Err(Refusal::SignUpOff);
    }
    let (Some(opens), Some(closes)) = (event.registration_opens_at, event.registration_closes_at)
    else {
        return Err(Refusal::NoRegistrationWindow);
    };
    not_before_opening(Some(opens), now)?;
    if event.enforces_previous_strikes {
        let delay = strike_delay(active_points);
        if now < opens + delay {
            return Err(Refusal::StrikeDelay {
                points: active_points,
                from: opens + delay,
                hours: delay.num_hours(),
            });
        }
    }
    if event.closed {
        return Err(Refusal::EventClosed);
    }
    if now > closes {
        return Err(Refusal::RegistrationClosed { closed_at: closes });
    }
    if event.only_prioritized && !prioritized {
        return Err(Refusal::OnlyPrioritized);
    }
    Ok(())
}

/// Whether a participant may still leave, and whether it costs a strike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaving {
    Free,
    /// After the sign-off deadline: a `past_deadline` strike where the event can cause strikes.
    WithStrike,
}

/// Hours before the start after which a participant cannot leave once the
/// sign-off deadline has passed.
pub const LAST_LEAVE_BEFORE_START: Duration = Duration::hours(2);

/// Rule for leaving a place (waiting-list entries may always leave).
pub fn may_leave_place(event: &EventRow, now: DateTime<Utc>) -> Result<Leaving, Refusal> {
    let before_deadline = event
        .sign_off_deadline
        .is_none_or(|deadline| now < deadline);
    if before_deadline {
        return Ok(Leaving::Free);
    }
    if now < event.starts_at - LAST_LEAVE_BEFORE_START {
        return Ok(if event.can_cause_strikes {
            Leaving::WithStrike
        } else {
            Leaving::Free
        });
    }
    Err(Refusal::TooLateToLeave)
}

#[cfg(test)]
mod tests;
