//! Rows as the service reads them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{events, groups, registrations, strikes};

/// An event row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub category_id: Option<Uuid>,
    pub organizer_id: Uuid,
    pub contact_person_id: Option<Uuid>,
    pub image_url: String,
    pub sign_up: bool,
    pub capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub sign_off_deadline: Option<DateTime<Utc>>,
    pub only_prioritized: bool,
    pub can_cause_strikes: bool,
    pub enforces_previous_strikes: bool,
    pub closed: bool,
    pub priority_pools: serde_json::Value,
    pub confirmed_count: i32,
    pub waiting_count: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Organizers said they took attendance (even if nobody is checked in).
    pub attendance_taken_at: Option<DateTime<Utc>>,
    /// Within this many hours of the start a freed place is offered, not given.
    pub offer_hours: Option<i32>,
    /// The uploaded cover image (`domain::images::EventImage`), if any.
    pub image: Option<serde_json::Value>,
}

impl EventRow {
    /// The priority pools as lists of group ids (a malformed value reads as none).
    pub fn pools(&self) -> Vec<Vec<Uuid>> {
        serde_json::from_value(self.priority_pools.clone()).unwrap_or_default()
    }

    /// Free places (`None`: unlimited).
    pub fn free_places(&self) -> Option<i32> {
        (self.capacity > 0).then(|| (self.capacity - self.confirmed_count).max(0))
    }
}

/// A group of the copy of auth's groups.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = groups)]
pub struct GroupRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub deleted: bool,
}

/// The group kind whose memberships only its members (and administrators) see.
pub const PRIVATE_KIND: &str = "private";

impl GroupRow {
    pub fn is_private(&self) -> bool {
        self.kind == PRIVATE_KIND
    }
}

pub const CONFIRMED: &str = "confirmed";
pub const WAITLISTED: &str = "waitlisted";
/// A waiter offered a freed place, holding it until the offer expires.
pub const OFFERED: &str = "offered";

/// A registration row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = registrations)]
pub struct RegistrationRow {
    pub id: Uuid,
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub status: String,
    pub prioritized: bool,
    pub added_by_organizer: bool,
    pub registered_at: DateTime<Utc>,
    pub reason: String,
    pub attended_at: Option<DateTime<Utc>>,
    /// The secret behind the owner's check-in QR code.
    pub check_in_code: String,
    /// Until when an offered place waits for an answer.
    pub offer_expires_at: Option<DateTime<Utc>>,
}

impl RegistrationRow {
    pub fn is_confirmed(&self) -> bool {
        self.status == CONFIRMED
    }

    /// Confirmed, or offered a place it holds until the offer ends: counted
    /// in the event's `confirmed_count`.
    pub fn holds_place(&self) -> bool {
        self.status == CONFIRMED || self.status == OFFERED
    }

    /// Whether the person is on the event by their own choice: they
    /// registered themselves (or accepted an organizer's invitation, which
    /// registers them the ordinary way). An administrator's direct placement
    /// is not: it never causes a strike, shows no health data or photo
    /// consent to the organizers and receives no organizers' messages.
    pub fn by_own_choice(&self) -> bool {
        !self.added_by_organizer
    }
}

/// A strike row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = strikes)]
pub struct StrikeRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub points: i32,
    pub description: String,
    pub event_id: Option<Uuid>,
    pub event_title: Option<String>,
    pub given_by: Option<Uuid>,
    pub given_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
impl EventRow {
    /// An open event: registration opened an hour ago, closes in 5 days,
    /// the event starts in 10.
    pub fn for_tests(now: DateTime<Utc>) -> Self {
        use chrono::Duration;
        EventRow {
            id: Uuid::new_v4(),
            title: "Cabin trip".into(),
            description: String::new(),
            location: String::new(),
            starts_at: now + Duration::days(10),
            ends_at: now + Duration::days(11),
            category_id: None,
            organizer_id: Uuid::new_v4(),
            contact_person_id: None,
            image_url: String::new(),
            sign_up: true,
            capacity: 10,
            registration_opens_at: Some(now - Duration::hours(1)),
            registration_closes_at: Some(now + Duration::days(5)),
            sign_off_deadline: Some(now + Duration::days(7)),
            only_prioritized: false,
            can_cause_strikes: true,
            enforces_previous_strikes: true,
            closed: false,
            priority_pools: serde_json::json!([]),
            confirmed_count: 0,
            waiting_count: 0,
            created_by: Uuid::new_v4(),
            created_at: now,
            updated_at: now,
            attendance_taken_at: None,
            offer_hours: None,
            image: None,
        }
    }
}
