//! Local time: the events list's "latest 12:00", and the start of a local
//! day (strike freezes, the scheduled jobs).

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The latest 12:00 local time at or before `now`: the default list holds
/// events that end at or after it, so yesterday evening's events stay listed
/// until today's noon.
pub fn latest_noon(now: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    let local = now.with_timezone(&zone);
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
    let today = local.date_naive();
    let day = if local.time() >= noon {
        today
    } else {
        today.checked_sub_days(Days::new(1)).unwrap_or(today)
    };
    zone.from_local_datetime(&day.and_time(noon))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

/// Local midnight at the start of `day` (the earliest such instant, should
/// a zone skip or repeat it).
pub fn start_of_day(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let naive = day.and_time(NaiveTime::MIN);
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::oslo;
    use chrono_tz::Europe::Oslo;

    #[test]
    fn noon_today_after_noon_and_yesterday_before() {
        assert_eq!(
            latest_noon(oslo(2026, 3, 10, 12, 0), Oslo),
            oslo(2026, 3, 10, 12, 0)
        );
        assert_eq!(
            latest_noon(oslo(2026, 3, 10, 18, 0), Oslo),
            oslo(2026, 3, 10, 12, 0)
        );
        assert_eq!(
            latest_noon(oslo(2026, 3, 10, 11, 59), Oslo),
            oslo(2026, 3, 9, 12, 0)
        );
        assert_eq!(
            latest_noon(oslo(2026, 3, 10, 0, 30), Oslo),
            oslo(2026, 3, 9, 12, 0)
        );
    }

    #[test]
    fn across_daylight_saving_days() {
        // Summer time begins 29 March 2026 at 02:00.
        assert_eq!(
            latest_noon(oslo(2026, 3, 29, 9, 0), Oslo),
            oslo(2026, 3, 28, 12, 0)
        );
        assert_eq!(
            latest_noon(oslo(2026, 3, 29, 13, 0), Oslo),
            oslo(2026, 3, 29, 12, 0)
        );
        // It ends 25 October 2026 at 03:00.
        assert_eq!(
            latest_noon(oslo(2026, 10, 25, 11, 0), Oslo),
            oslo(2026, 10, 24, 12, 0)
        );
    }
}
