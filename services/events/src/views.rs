//! What the API returns for events and registrations.

use common::images::{ImageRecord, ImageView};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use common::list::CsvRow;
use diesel::PgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::forms::FormRow;
use crate::db::members;
use crate::db::models::{EventRow, GroupRow, RegistrationRow, StrikeRow};
use crate::domain::forms::{Question, QuestionSummary};

/// An event as clients see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub category_id: Option<Uuid>,
    /// The organizer group's slug.
    pub organizer: String,
    pub contact_person_id: Option<Uuid>,
    /// The display size of the uploaded cover image (empty without one).
    pub image_url: String,
    /// The uploaded cover image in all its sizes.
    pub image: Option<ImageView>,
    pub sign_up: bool,
    /// 0: unlimited.
    pub capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub sign_off_deadline: Option<DateTime<Utc>>,
    pub only_prioritized: bool,
    pub can_cause_strikes: bool,
    pub enforces_previous_strikes: bool,
    pub closed: bool,
    /// Within this many hours of the start a freed place is offered to the
    /// first waiter instead of given (null: never).
    pub offer_hours: Option<i32>,
    /// When organizers marked attendance as taken, if they did.
    pub attendance_taken_at: Option<DateTime<Utc>>,
    /// Each pool a list of group slugs; a pool matches a member of all of them.
    pub priority_pools: Vec<Vec<String>>,
    pub confirmed_count: i32,
    pub waiting_count: i32,
    /// `null` when unlimited.
    pub free_places: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CsvRow for EventView {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "title",
            "location",
            "starts_at",
            "ends_at",
            "organizer",
            "capacity",
            "confirmed_count",
            "waiting_count",
            "closed",
        ]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            self.location.clone(),
            self.starts_at.to_rfc3339(),
            self.ends_at.to_rfc3339(),
            self.organizer.clone(),
            self.capacity.to_string(),
            self.confirmed_count.to_string(),
            self.waiting_count.to_string(),
            self.closed.to_string(),
        ]
    }
}

/// Views of `rows`, with group slugs from one lookup.
pub fn events(conn: &mut PgConnection, rows: Vec<EventRow>) -> diesel::QueryResult<Vec<EventView>> {
    let mut ids: Vec<Uuid> = rows.iter().map(|e| e.organizer_id).collect();
    for row in &rows {
        ids.extend(row.pools().into_iter().flatten());
    }
    ids.sort_unstable();
    ids.dedup();
    let slugs: HashMap<Uuid, String> = members::groups_by_id(conn, &ids)?
        .into_iter()
        .map(|g: GroupRow| (g.id, g.slug))
        .collect();
    let slug = |id: &Uuid| slugs.get(id).cloned().unwrap_or_else(|| id.to_string());
    Ok(rows
        .into_iter()
        .map(|e| EventView {
            priority_pools: e
                .pools()
                .iter()
                .map(|p| p.iter().map(slug).collect())
                .collect(),
            organizer: slug(&e.organizer_id),
            free_places: e.free_places(),
            id: e.id,
            title: e.title,
            description: e.description,
            location: e.location,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            category_id: e.category_id,
            contact_person_id: e.contact_person_id,
            image_url: e.image_url,
            image: ImageRecord::from_json(e.image.as_ref()).map(|r| r.view()),
            sign_up: e.sign_up,
            capacity: e.capacity,
            registration_opens_at: e.registration_opens_at,
            registration_closes_at: e.registration_closes_at,
            sign_off_deadline: e.sign_off_deadline,
            only_prioritized: e.only_prioritized,
            can_cause_strikes: e.can_cause_strikes,
            enforces_previous_strikes: e.enforces_previous_strikes,
            closed: e.closed,
            attendance_taken_at: e.attendance_taken_at,
            offer_hours: e.offer_hours,
            confirmed_count: e.confirmed_count,
            waiting_count: e.waiting_count,
            created_at: e.created_at,
            updated_at: e.updated_at,
        })
        .collect())
}

pub fn event(conn: &mut PgConnection, row: EventRow) -> diesel::QueryResult<EventView> {
    events(conn, vec![row])?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

/// A registration as clients see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationView {
    pub id: Uuid,
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    /// `confirmed`, `waitlisted` or `offered` (a freed place held for this
    /// waiter until `offer_expires_at`).
    pub status: String,
    /// 1-based place on the waiting list, live; `null` for participants and offers.
    pub position: Option<i64>,
    /// Counts as prioritized (matches a priority pool, or added by organizers).
    pub prioritized: bool,
    /// Why it is where it is.
    pub reason: String,
    pub added_by_organizer: bool,
    pub registered_at: DateTime<Utc>,
    pub attended_at: Option<DateTime<Utc>>,
    /// For organizers only, and only of participants on the event by their
    /// own choice, from when registration closes until 14 days after the
    /// event ends (absent otherwise): the participant's allergies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allergies: Option<String>,
    /// For an `offered` place: until when it waits for `accept` or `decline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_expires_at: Option<DateTime<Utc>>,
    /// For the owner only: the secret their check-in QR code encodes
    /// (organizers scan it: `POST /v1/events/{id}/check-in`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_in_code: Option<String>,
}

impl CsvRow for RegistrationView {
    fn csv_header() -> &'static [&'static str] {
        &[
            "user_id",
            "username",
            "status",
            "position",
            "prioritized",
            "registered_at",
            "attended_at",
            "allergies",
        ]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.user_id.to_string(),
            self.username.clone(),
            self.status.clone(),
            self.position.map(|p| p.to_string()).unwrap_or_default(),
            self.prioritized.to_string(),
            self.registered_at.to_rfc3339(),
            self.attended_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            self.allergies.clone().unwrap_or_default(),
        ]
    }
}

/// The view of one registration with its live position.
pub fn registration(
    conn: &mut PgConnection,
    row: RegistrationRow,
    username: String,
) -> diesel::QueryResult<RegistrationView> {
    let position = crate::db::registrations::position_of(conn, &row)?;
    Ok(RegistrationView {
        id: row.id,
        event_id: row.event_id,
        user_id: row.user_id,
        username,
        status: row.status,
        position,
        prioritized: row.prioritized,
        reason: row.reason,
        added_by_organizer: row.added_by_organizer,
        registered_at: row.registered_at,
        attended_at: row.attended_at,
        allergies: None,
        offer_expires_at: row.offer_expires_at,
        check_in_code: None,
    })
}

/// The view of one's own registration, with its check-in code.
pub fn own_registration(
    conn: &mut PgConnection,
    row: RegistrationRow,
    username: String,
) -> diesel::QueryResult<RegistrationView> {
    let code = row.check_in_code.clone();
    let mut view = registration(conn, row, username)?;
    view.check_in_code = Some(code);
    Ok(view)
}

/// A form as clients see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormView {
    pub id: Uuid,
    pub event_id: Uuid,
    /// `survey` or `evaluation`.
    pub kind: String,
    pub title: String,
    pub questions: Vec<Question>,
    /// How many have answered.
    pub answers: i64,
    /// Questions can change until the first answer.
    pub editable: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The stored questions (written only through [`check_form`]).
pub fn questions_of(form: &FormRow) -> Vec<Question> {
    serde_json::from_value(form.questions.clone()).unwrap_or_default()
}

/// A form with its count of answers.
pub fn form(form: FormRow, answers: i64) -> FormView {
    FormView {
        questions: questions_of(&form),
        answers,
        editable: answers == 0,
        id: form.id,
        event_id: form.event_id,
        kind: form.kind,
        title: form.title,
        created_at: form.created_at,
        updated_at: form.updated_at,
    }
}

/// One person's answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersView {
    pub user_id: Uuid,
    /// Empty when the person is not known to this service any more.
    pub username: String,
    #[schema(value_type = Vec<Object>)]
    pub answers: Vec<serde_json::Value>,
    pub answered_at: DateTime<Utc>,
}

/// What a form's answers add up to.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormSummary {
    pub form_id: Uuid,
    pub answers: usize,
    pub questions: Vec<QuestionSummary>,
}

/// A form I have to do with.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyForm {
    pub form_id: Uuid,
    pub event_id: Uuid,
    pub event_title: String,
    /// `survey` or `evaluation`.
    pub kind: String,
    pub title: String,
    pub answered: bool,
}

/// A strike as clients see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StrikeView {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub points: i32,
    pub description: String,
    pub event_id: Option<Uuid>,
    pub event_title: Option<String>,
    pub given_at: DateTime<Utc>,
    /// When it stops counting (20 days, extended by the freezes).
    pub expires_at: DateTime<Utc>,
    pub active: bool,
}

impl StrikeView {
    /// The strike as it stands at `now`.
    pub fn of(row: StrikeRow, now: DateTime<Utc>) -> Self {
        Self {
            active: crate::domain::strikes::is_active(row.expires_at, now),
            id: row.id,
            user_id: row.user_id,
            kind: row.kind,
            points: row.points,
            description: row.description,
            event_id: row.event_id,
            event_title: row.event_title,
            given_at: row.given_at,
            expires_at: row.expires_at,
        }
    }
}

impl CsvRow for StrikeView {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "user_id",
            "kind",
            "points",
            "event_title",
            "given_at",
            "expires_at",
            "active",
        ]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.user_id.to_string(),
            self.kind.clone(),
            self.points.to_string(),
            self.event_title.clone().unwrap_or_default(),
            self.given_at.to_rfc3339(),
            self.expires_at.to_rfc3339(),
            self.active.to_string(),
        ]
    }
}

/// One of my open invitations.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyInvitation {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: DateTime<Utc>,
    pub event_location: String,
    /// The inviting organizer's username (empty if unknown).
    pub invited_by: String,
    pub invited_at: DateTime<Utc>,
    /// When registration closes: accept before then.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyInvitations {
    pub items: Vec<MyInvitation>,
}

/// An open invitation to an event, for its organizers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenInvitation {
    pub user_id: Uuid,
    pub username: String,
    pub invited_by: Uuid,
    pub invited_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenInvitations {
    pub items: Vec<OpenInvitation>,
}

/// A participant who shares their registrations.
#[derive(Debug, Serialize, ToSchema)]
pub struct Participant {
    pub user_id: Uuid,
    pub username: String,
    pub full_name: String,
}

/// An event's confirmed participants as the caller may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Participants {
    /// Those who share their registrations, by registration time; empty
    /// unless the caller shares theirs.
    pub shown: Vec<Participant>,
    /// The other confirmed participants, counted.
    pub hidden: i64,
    /// All confirmed participants.
    pub confirmed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupCount {
    pub slug: String,
    pub name: String,
    /// Confirmed participants who are members.
    pub confirmed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Allergy {
    pub user_id: Uuid,
    pub username: String,
    pub allergies: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Statistics {
    pub confirmed: i64,
    pub waiting: i64,
    /// Confirmed participants checked in.
    pub attended: i64,
    /// Confirmed participants not checked in, once the event has ended
    /// (`null` before).
    pub no_shows: Option<i64>,
    /// Confirmed participants per group (committees, boards, ...), largest first.
    pub by_group: Vec<GroupCount>,
    /// Confirmed participants per study programme group.
    pub by_study_programme: Vec<GroupCount>,
    /// Confirmed participants who told of allergies.
    pub allergies: Vec<Allergy>,
    /// Usernames of confirmed participants who have not consented to photos.
    pub photo_consent_declined: Vec<String>,
    /// `allergies` and `photo_consent_declined` list the participants on the
    /// event by their own choice, from when registration closes until 14 days
    /// after the event ends; empty outside that window.
    pub health_data_from: Option<DateTime<Utc>>,
    pub health_data_until: Option<DateTime<Utc>>,
}

/// One of my events with my registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyEvent {
    pub event: EventView,
    pub registration: RegistrationView,
}

impl CsvRow for MyEvent {
    fn csv_header() -> &'static [&'static str] {
        &["event_id", "title", "starts_at", "status", "position"]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.event.id.to_string(),
            self.event.title.clone(),
            self.event.starts_at.to_rfc3339(),
            self.registration.status.clone(),
            self.registration
                .position
                .map(|p| p.to_string())
                .unwrap_or_default(),
        ]
    }
}
