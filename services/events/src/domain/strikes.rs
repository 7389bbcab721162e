//! Strike kinds and what "active" means: one definition every rule and list uses.
//!
//! A strike counts for 20 days of time outside the freezes: the summer freeze
//! (10 May 00:00 to 15 August 00:00) and the winter freeze (29 November 00:00
//! to 9 January 00:00), in local time. A strike given during a freeze starts
//! counting when it ends; one whose 20 days reach into a freeze continues
//! after it. `active_until` turns that into one instant, stored with the
//! strike as `expires_at`; a strike is active while `now < expires_at`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::local_time::start_of_day;

/// Strike kinds and their points.
pub const KINDS: &[(&str, i32)] = &[
    ("past_deadline", 1),
    ("no_show", 2),
    ("late", 1),
    ("bad_behaviour", 1),
    ("eval_form", 3),
];

/// The strike a participant gets for leaving after the sign-off deadline.
pub const PAST_DEADLINE: &str = "past_deadline";

/// The points of a strike kind, if it is one.
pub fn points_of(kind: &str) -> Option<i32> {
    KINDS.iter().find(|(k, _)| *k == kind).map(|(_, p)| *p)
}

/// How long a strike counts outside the freezes.
pub const ACTIVE_FOR: Duration = Duration::days(20);

/// Whether a strike that stops counting at `expires_at` counts at `now`.
pub fn is_active(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < expires_at
}

/// When a strike given at `given_at` stops counting.
pub fn active_until(given_at: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    let mut cursor = given_at;
    let mut remaining = ACTIVE_FOR;
    loop {
        let (start, end) = next_freeze(cursor, zone);
        if cursor >= start {
            // Inside a freeze: nothing counts until it ends.
            cursor = end;
            continue;
        }
        let until_freeze = start - cursor;
        if remaining <= until_freeze {
            return cursor + remaining;
        }
        remaining -= until_freeze;
        cursor = end;
    }
}

/// The freeze that contains `at`, or else the next one to begin.
fn next_freeze(at: DateTime<Utc>, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let year = at.with_timezone(&zone).year();
    // The winter freeze that began the year before reaches into this one.
    let candidates = [
        winter(year - 1, zone),
        summer(year, zone),
        winter(year, zone),
        summer(year + 1, zone),
    ];
    candidates
        .into_iter()
        .find(|(_, end)| at < *end)
        .unwrap_or_else(|| summer(year + 1, zone))
}

fn summer(year: i32, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    (midnight(year, 5, 10, zone), midnight(year, 8, 15, zone))
}

fn winter(year: i32, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    (midnight(year, 11, 29, zone), midnight(year + 1, 1, 9, zone))
}

/// Local midnight of a day.
fn midnight(year: i32, month: u32, day: u32, zone: Tz) -> DateTime<Utc> {
    start_of_day(
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default(),
        zone,
    )
}

/// A strike to give.
pub struct Given<'a> {
    pub user_id: uuid::Uuid,
    pub kind: &'a str,
    pub description: &'a str,
    pub event: Option<&'a crate::db::models::EventRow>,
    /// The manager; `None` when a rule gives it.
    pub given_by: Option<uuid::Uuid>,
    pub now: DateTime<Utc>,
    pub zone: Tz,
}

/// Gives a strike and publishes `events.strike.given` (in the caller's
/// transaction). `None` for a second `past_deadline` strike for one event.
pub fn give(
    conn: &mut diesel::PgConnection,
    given: Given<'_>,
) -> Result<Option<crate::db::models::StrikeRow>, common::ApiError> {
    use crate::db::strikes as queries;
    let points = points_of(given.kind)
        .ok_or_else(|| common::ApiError::field("kind", "unknown strike kind"))?;
    let Some(row) = queries::insert(
        conn,
        &queries::NewStrike {
            user_id: given.user_id,
            kind: given.kind,
            points,
            description: given.description,
            event_id: given.event.map(|e| e.id),
            event_title: given.event.map(|e| e.title.as_str()),
            given_by: given.given_by,
            given_at: given.now,
            expires_at: active_until(given.now, given.zone),
        },
    )?
    else {
        return Ok(None);
    };
    let active_points = queries::active_points(conn, given.user_id, given.now)?;
    common::outbox::publish(
        conn,
        &contracts::events::StrikeGiven(contracts::events::Strike {
            strike_id: row.id,
            user_id: row.user_id,
            event_id: row.event_id,
            event_title: row.event_title.clone(),
            kind: row.kind.clone(),
            points: row.points,
            description: row.description.clone(),
            active_points,
            expires_at: row.expires_at,
        }),
    )?;
    Ok(Some(row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::oslo;
    use chrono_tz::Europe::Oslo;

    #[test]
    fn points_per_kind() {
        assert_eq!(points_of("past_deadline"), Some(1));
        assert_eq!(points_of("no_show"), Some(2));
        assert_eq!(points_of("late"), Some(1));
        assert_eq!(points_of("bad_behaviour"), Some(1));
        assert_eq!(points_of("eval_form"), Some(3));
        assert_eq!(points_of("rude"), None);
    }

    #[test]
    fn twenty_days_outside_freezes() {
        let given = oslo(2026, 3, 1, 10, 0);
        assert_eq!(active_until(given, Oslo), given + Duration::days(20));
        assert!(is_active(
            active_until(given, Oslo),
            given + Duration::days(20) - Duration::seconds(1)
        ));
        assert!(!is_active(
            active_until(given, Oslo),
            given + Duration::days(20)
        ));
    }

    #[test]
    fn ending_exactly_when_the_summer_freeze_begins() {
        // 20 days before 10 May 00:00 ends at that instant: no extension.
        let given = oslo(2026, 4, 20, 0, 0);
        assert_eq!(active_until(given, Oslo), oslo(2026, 5, 10, 0, 0));
        // A minute later, the last minute falls after the freeze.
        let later = given + Duration::minutes(1);
        assert_eq!(active_until(later, Oslo), oslo(2026, 8, 15, 0, 1));
    }

    #[test]
    fn overlapping_the_summer_freeze_is_extended_by_it() {
        // 5 days before the freeze, 15 after it.
        let given = oslo(2026, 5, 5, 0, 0);
        assert_eq!(active_until(given, Oslo), oslo(2026, 8, 30, 0, 0));
    }

    #[test]
    fn given_during_a_freeze_counts_from_its_end() {
        assert_eq!(
            active_until(oslo(2026, 5, 10, 0, 0), Oslo),
            oslo(2026, 9, 4, 0, 0)
        );
        assert_eq!(
            active_until(oslo(2026, 8, 14, 23, 59), Oslo),
            oslo(2026, 9, 4, 0, 0)
        );
        // The freeze has ended at 15 August 00:00.
        assert_eq!(
            active_until(oslo(2026, 8, 15, 0, 0), Oslo),
            oslo(2026, 9, 4, 0, 0)
        );
    }

    #[test]
    fn winter_freeze_that_began_the_previous_year() {
        // 5 January is inside the freeze that began 29 November the year before.
        assert_eq!(
            active_until(oslo(2027, 1, 5, 12, 0), Oslo),
            oslo(2027, 1, 29, 0, 0)
        );
        // 9 January 00:00 is its end: counting starts there.
        assert_eq!(
            active_until(oslo(2027, 1, 9, 0, 0), Oslo),
            oslo(2027, 1, 29, 0, 0)
        );
        assert_eq!(
            active_until(oslo(2027, 1, 8, 23, 59), Oslo),
            oslo(2027, 1, 29, 0, 0)
        );
    }

    #[test]
    fn overlapping_the_winter_freeze_across_new_year() {
        // 10 days before 29 November, 10 after 9 January.
        assert_eq!(
            active_until(oslo(2026, 11, 19, 0, 0), Oslo),
            oslo(2027, 1, 19, 0, 0)
        );
        // Given on 28 November 23:59: one minute before, the rest after.
        assert_eq!(
            active_until(oslo(2026, 11, 28, 23, 59), Oslo),
            oslo(2027, 1, 28, 23, 59)
        );
        assert_eq!(
            active_until(oslo(2026, 11, 29, 0, 0), Oslo),
            oslo(2027, 1, 29, 0, 0)
        );
        assert_eq!(
            active_until(oslo(2026, 12, 31, 23, 0), Oslo),
            oslo(2027, 1, 29, 0, 0)
        );
    }

    #[test]
    fn counts_real_time_across_daylight_saving_changes() {
        // 20 × 24 hours across the end of summer time (25 October 2026).
        let given = oslo(2026, 10, 20, 12, 0);
        assert_eq!(active_until(given, Oslo), given + Duration::hours(480));
        assert_eq!(active_until(given, Oslo), oslo(2026, 11, 9, 11, 0));
    }
}
