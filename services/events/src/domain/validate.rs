//! What makes an event valid (422 with a message per field).

use chrono::{DateTime, Utc};
use common::{ApiError, Validator};
use uuid::Uuid;

use crate::db::models::EventRow;

/// An event's writable fields, with groups resolved to ids.
#[derive(Debug, Clone)]
pub struct EventFields {
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub category_id: Option<Uuid>,
    pub organizer_id: Uuid,
    pub contact_person_id: Option<Uuid>,
    pub sign_up: bool,
    pub capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub sign_off_deadline: Option<DateTime<Utc>>,
    pub only_prioritized: bool,
    pub can_cause_strikes: bool,
    pub enforces_previous_strikes: bool,
    pub closed: bool,
    pub priority_pools: Vec<Vec<Uuid>>,
    pub offer_hours: Option<i32>,
}

impl From<&EventRow> for EventFields {
    fn from(e: &EventRow) -> Self {
        Self {
            title: e.title.clone(),
            description: e.description.clone(),
            location: e.location.clone(),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            category_id: e.category_id,
            organizer_id: e.organizer_id,
            contact_person_id: e.contact_person_id,
            sign_up: e.sign_up,
            capacity: e.capacity,
            registration_opens_at: e.registration_opens_at,
            registration_closes_at: e.registration_closes_at,
            sign_off_deadline: e.sign_off_deadline,
            only_prioritized: e.only_prioritized,
            can_cause_strikes: e.can_cause_strikes,
            enforces_previous_strikes: e.enforces_previous_strikes,
            closed: e.closed,
            priority_pools: e.pools(),
            offer_hours: e.offer_hours,
        }
    }
}

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 20_000;
pub const MAX_SHORT: usize = 500;
/// The longest an offered place may wait for an answer: a week.
pub const MAX_OFFER_HOURS: i32 = 168;

/// Text PostgreSQL stores (no NUL) within `max` characters.
pub fn text(v: &mut Validator, field: &str, value: &str, max: usize) {
    v.check(
        !value.contains('\0'),
        field,
        "must not contain NUL characters",
    );
    v.check(
        value.chars().count() <= max,
        field,
        format!("must be at most {max} characters"),
    );
}

/// 422 naming each of the start, the end and the deadlines that an edit moves
/// into the past while people are on the event: they agreed to the times
/// they saw, and a past event with participants is where no-show strikes
/// come from. A time that was already past may stay where it is.
pub fn schedule_change(
    before: &EventFields,
    after: &EventFields,
    has_participants: bool,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if !has_participants {
        return Ok(());
    }
    let mut v = Validator::new();
    let moved_back = |old: Option<DateTime<Utc>>, new: Option<DateTime<Utc>>| {
        new != old && new.is_some_and(|t| t < now)
    };
    let message = "cannot move into the past while people are registered";
    for (field, old, new) in [
        ("starts_at", Some(before.starts_at), Some(after.starts_at)),
        ("ends_at", Some(before.ends_at), Some(after.ends_at)),
        (
            "registration_closes_at",
            before.registration_closes_at,
            after.registration_closes_at,
        ),
        (
            "sign_off_deadline",
            before.sign_off_deadline,
            after.sign_off_deadline,
        ),
    ] {
        v.check(!moved_back(old, new), field, message);
    }
    v.finish()
}

/// Checks every rule on an event's fields.
pub fn check(f: &EventFields) -> Result<(), ApiError> {
    let mut v = Validator::new();
    text(&mut v, "title", &f.title, MAX_TITLE);
    v.check(!f.title.trim().is_empty(), "title", "must not be empty");
    text(&mut v, "description", &f.description, MAX_TEXT);
    text(&mut v, "location", &f.location, MAX_SHORT);
    v.check(f.capacity >= 0, "capacity", "must be 0 (unlimited) or more");
    v.check(
        f.offer_hours
            .is_none_or(|h| (1..=MAX_OFFER_HOURS).contains(&h)),
        "offer_hours",
        format!("must be between 1 and {MAX_OFFER_HOURS} hours, or null for no offers"),
    );
    v.check(
        f.ends_at >= f.starts_at,
        "ends_at",
        "must not be before starts_at",
    );
    let times = [
        ("registration_opens_at", f.registration_opens_at),
        ("registration_closes_at", f.registration_closes_at),
        ("sign_off_deadline", f.sign_off_deadline),
    ];
    if f.sign_up {
        for (name, value) in times {
            v.check(value.is_some(), name, "is required when sign_up is on");
        }
        if let (Some(opens), Some(closes), Some(deadline)) = (
            f.registration_opens_at,
            f.registration_closes_at,
            f.sign_off_deadline,
        ) {
            v.check(
                opens <= closes,
                "registration_closes_at",
                "must not be before registration_opens_at",
            );
            v.check(
                closes <= f.starts_at,
                "registration_closes_at",
                "must not be after starts_at",
            );
            v.check(
                closes <= f.ends_at,
                "registration_closes_at",
                "must not be after ends_at",
            );
            v.check(
                opens <= deadline,
                "sign_off_deadline",
                "must not be before registration_opens_at",
            );
            v.check(
                deadline <= f.starts_at,
                "sign_off_deadline",
                "must not be after starts_at",
            );
        }
    } else {
        for (name, value) in times {
            v.check(value.is_none(), name, "must be empty when sign_up is off");
        }
    }
    v.check(
        f.priority_pools.iter().all(|pool| !pool.is_empty()),
        "priority_pools",
        "every pool must name at least one group",
    );
    v.check(
        !f.only_prioritized || f.priority_pools.iter().any(|pool| !pool.is_empty()),
        "only_prioritized",
        "needs at least one priority pool",
    );
    v.check(
        f.priority_pools.len() <= 50 && f.priority_pools.iter().all(|p| p.len() <= 50),
        "priority_pools",
        "at most 50 pools of at most 50 groups",
    );
    v.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn valid() -> EventFields {
        let now = Utc::now();
        EventFields {
            title: "Cabin trip".into(),
            description: String::new(),
            location: "Cabin".into(),
            starts_at: now + Duration::days(10),
            ends_at: now + Duration::days(11),
            category_id: None,
            organizer_id: Uuid::new_v4(),
            contact_person_id: None,
            sign_up: true,
            capacity: 10,
            registration_opens_at: Some(now + Duration::days(1)),
            registration_closes_at: Some(now + Duration::days(5)),
            sign_off_deadline: Some(now + Duration::days(7)),
            only_prioritized: false,
            can_cause_strikes: true,
            enforces_previous_strikes: true,
            closed: false,
            priority_pools: vec![],
            offer_hours: None,
        }
    }

    fn fields_of(result: Result<(), ApiError>) -> Vec<String> {
        result
            .expect_err("invalid")
            .errors
            .unwrap_or_default()
            .into_keys()
            .collect()
    }

    #[test]
    fn an_event_with_participants_stays_out_of_the_past() {
        let now = Utc::now();
        let before = valid();
        let past = now - Duration::hours(1);
        let moved = EventFields {
            starts_at: past,
            ends_at: past + Duration::minutes(30),
            registration_closes_at: Some(past - Duration::days(1)),
            sign_off_deadline: Some(past - Duration::hours(2)),
            ..before.clone()
        };
        assert_eq!(
            fields_of(schedule_change(&before, &moved, true, now)),
            [
                "ends_at",
                "registration_closes_at",
                "sign_off_deadline",
                "starts_at"
            ]
        );
        assert!(schedule_change(&before, &moved, false, now).is_ok());
        let later = EventFields {
            starts_at: before.starts_at + Duration::days(1),
            ends_at: before.ends_at + Duration::days(1),
            ..before.clone()
        };
        assert!(schedule_change(&before, &later, true, now).is_ok());
        // A deadline already past is no move: the rest of the event can change.
        let closed_yesterday = EventFields {
            registration_closes_at: Some(now - Duration::days(1)),
            ..before.clone()
        };
        let retitled = EventFields {
            title: "Renamed".into(),
            ..closed_yesterday.clone()
        };
        assert!(schedule_change(&closed_yesterday, &retitled, true, now).is_ok());
    }

    #[test]
    fn a_valid_event_passes() {
        assert!(check(&valid()).is_ok());
        let no_sign_up = EventFields {
            sign_up: false,
            registration_opens_at: None,
            registration_closes_at: None,
            sign_off_deadline: None,
            ..valid()
        };
        assert!(check(&no_sign_up).is_ok());
    }

    #[test]
    fn times_in_order() {
        let v = valid();
        let ends_first = EventFields {
            ends_at: v.starts_at - Duration::seconds(1),
            ..v.clone()
        };
        assert!(fields_of(check(&ends_first)).contains(&"ends_at".to_owned()));
        let closes_first = EventFields {
            registration_closes_at: Some(v.starts_at + Duration::seconds(1)),
            ..v.clone()
        };
        assert_eq!(fields_of(check(&closes_first)), ["registration_closes_at"]);
        let closes_before_opening = EventFields {
            registration_closes_at: v.registration_opens_at.map(|t| t - Duration::seconds(1)),
            ..v.clone()
        };
        assert_eq!(
            fields_of(check(&closes_before_opening)),
            ["registration_closes_at"]
        );
        let deadline_after_start = EventFields {
            sign_off_deadline: Some(v.starts_at + Duration::seconds(1)),
            ..v.clone()
        };
        assert_eq!(
            fields_of(check(&deadline_after_start)),
            ["sign_off_deadline"]
        );
        let deadline_before_opening = EventFields {
            sign_off_deadline: v.registration_opens_at.map(|t| t - Duration::seconds(1)),
            ..v.clone()
        };
        assert_eq!(
            fields_of(check(&deadline_before_opening)),
            ["sign_off_deadline"]
        );
    }

    #[test]
    fn sign_up_decides_whether_the_times_are_set() {
        let missing = EventFields {
            registration_opens_at: None,
            ..valid()
        };
        assert_eq!(fields_of(check(&missing)), ["registration_opens_at"]);
        let stray = EventFields {
            sign_up: false,
            ..valid()
        };
        assert_eq!(
            fields_of(check(&stray)),
            [
                "registration_closes_at",
                "registration_opens_at",
                "sign_off_deadline"
            ]
        );
    }

    #[test]
    fn only_prioritized_needs_a_pool_and_pools_name_groups() {
        let only = EventFields {
            only_prioritized: true,
            ..valid()
        };
        assert_eq!(fields_of(check(&only)), ["only_prioritized"]);
        let empty_pool = EventFields {
            priority_pools: vec![vec![]],
            ..valid()
        };
        assert_eq!(fields_of(check(&empty_pool)), ["priority_pools"]);
        let pooled = EventFields {
            only_prioritized: true,
            priority_pools: vec![vec![Uuid::new_v4()]],
            ..valid()
        };
        assert!(check(&pooled).is_ok());
    }

    #[test]
    fn text_the_database_cannot_store_is_refused() {
        let nul = EventFields {
            title: "a\u{0}b".into(),
            ..valid()
        };
        assert_eq!(fields_of(check(&nul)), ["title"]);
        let blank = EventFields {
            title: "  ".into(),
            ..valid()
        };
        assert_eq!(fields_of(check(&blank)), ["title"]);
    }
}
