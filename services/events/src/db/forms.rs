//! Form and answer queries.

use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, exists};
use diesel::prelude::*;
use uuid::Uuid;

use super::models::CONFIRMED;
use super::schema::{events, form_answers, forms, registrations, users};

/// A form row; `questions` as stored (a JSON list of `domain::forms::Question`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = forms)]
pub struct FormRow {
    pub id: Uuid,
    pub event_id: Uuid,
    pub kind: String,
    pub title: String,
    pub questions: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new form, unless the event has one of that kind (`None`).
pub fn insert(
    conn: &mut PgConnection,
    event_id: Uuid,
    kind: &str,
    title: &str,
    questions: &serde_json::Value,
) -> QueryResult<Option<FormRow>> {
    diesel::insert_into(forms::table)
        .values((
            forms::event_id.eq(event_id),
            forms::kind.eq(kind),
            forms::title.eq(title),
            forms::questions.eq(questions),
        ))
        .on_conflict_do_nothing()
        .returning(FormRow::as_returning())
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<FormRow>> {
    forms::table
        .find(id)
        .select(FormRow::as_select())
        .first(conn)
        .optional()
}

/// The form, locked against answers and edits until the transaction ends.
pub fn lock(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<FormRow>> {
    forms::table
        .find(id)
        .select(FormRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn of_event(
    conn: &mut PgConnection,
    event_id: Uuid,
    kind: &str,
) -> QueryResult<Option<FormRow>> {
    forms::table
        .filter(forms::event_id.eq(event_id))
        .filter(forms::kind.eq(kind))
        .select(FormRow::as_select())
        .first(conn)
        .optional()
}

pub fn update(
    conn: &mut PgConnection,
    id: Uuid,
    title: &str,
    questions: &serde_json::Value,
) -> QueryResult<FormRow> {
    diesel::update(forms::table.find(id))
        .set((
            forms::title.eq(title),
            forms::questions.eq(questions),
            forms::updated_at.eq(diesel::dsl::now),
        ))
        .returning(FormRow::as_returning())
        .get_result(conn)
}

pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(forms::table.find(id)).execute(conn)
}

pub fn answer_count(conn: &mut PgConnection, form_id: Uuid) -> QueryResult<i64> {
    form_answers::table
        .filter(form_answers::form_id.eq(form_id))
        .select(count_star())
        .first(conn)
}

/// Saves `user_id`'s answers unless they answered already (`false`).
pub fn answer(
    conn: &mut PgConnection,
    form_id: Uuid,
    user_id: Uuid,
    answers: &serde_json::Value,
) -> QueryResult<bool> {
    diesel::insert_into(form_answers::table)
        .values((
            form_answers::form_id.eq(form_id),
            form_answers::user_id.eq(user_id),
            form_answers::answers.eq(answers),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|n| n == 1)
}

/// One person's answers: who (username if known), what, when.
pub type AnswerRow = (Uuid, Option<String>, serde_json::Value, DateTime<Utc>);

/// Every answer with its author's username, oldest first.
pub fn answers(conn: &mut PgConnection, form_id: Uuid) -> QueryResult<Vec<AnswerRow>> {
    form_answers::table
        .left_join(users::table.on(users::id.eq(form_answers::user_id)))
        .filter(form_answers::form_id.eq(form_id))
        .order((form_answers::answered_at.asc(), form_answers::user_id.asc()))
        .select((
            form_answers::user_id,
            users::username.nullable(),
            form_answers::answers,
            form_answers::answered_at,
        ))
        .load(conn)
}

/// Deletes the user's answer to the event's survey (they left or were removed).
pub fn delete_survey_answer(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
) -> QueryResult<usize> {
    diesel::delete(
        form_answers::table
            .filter(form_answers::user_id.eq(user_id))
            .filter(
                form_answers::form_id.eq_any(
                    forms::table
                        .filter(forms::event_id.eq(event_id))
                        .filter(forms::kind.eq(crate::domain::forms::SURVEY))
                        .select(forms::id),
                ),
            ),
    )
    .execute(conn)
}

/// A form someone has to do with: its event's title, and whether they answered.
pub type MyForm = (FormRow, String, bool);

/// The forms of the user: surveys of events they are registered for, and
/// evaluations of ended events they attended (checked in, or confirmed where
/// attendance was not taken), newest event first.
pub fn of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Vec<MyForm>> {
    let answered = exists(
        form_answers::table
            .filter(form_answers::form_id.eq(forms::id))
            .filter(form_answers::user_id.eq(user_id)),
    );
    let surveys = forms::table
        .inner_join(events::table)
        .inner_join(registrations::table.on(registrations::event_id.eq(forms::event_id)))
        .filter(registrations::user_id.eq(user_id))
        .filter(forms::kind.eq(crate::domain::forms::SURVEY))
        .select((
            FormRow::as_select(),
            events::title,
            answered,
            events::starts_at,
        ))
        .load::<(FormRow, String, bool, DateTime<Utc>)>(conn)?;
    let evaluations = forms::table
        .inner_join(events::table)
        .inner_join(registrations::table.on(registrations::event_id.eq(forms::event_id)))
        .filter(registrations::user_id.eq(user_id))
        .filter(forms::kind.eq(crate::domain::forms::EVALUATION))
        .filter(events::ends_at.le(now))
        .filter(registrations::status.eq(CONFIRMED))
        .select((
            FormRow::as_select(),
            events::title,
            answered,
            events::starts_at,
            registrations::attended_at.is_not_null(),
        ))
        .load::<(FormRow, String, bool, DateTime<Utc>, bool)>(conn)?;
    let mut all = surveys;
    for (form, title, answered, starts_at, checked_in) in evaluations {
        if checked_in || !attendance_taken(conn, form.event_id)? {
            all.push((form, title, answered, starts_at));
        }
    }
    all.sort_by(|a, b| b.3.cmp(&a.3).then(a.0.kind.cmp(&b.0.kind)));
    Ok(all.into_iter().map(|(f, t, a, _)| (f, t, a)).collect())
}

/// Whether the organizers took attendance: someone is checked in, or they
/// marked it as taken.
pub fn attendance_taken(conn: &mut PgConnection, event_id: Uuid) -> QueryResult<bool> {
    let marked: Option<Option<DateTime<Utc>>> = events::table
        .find(event_id)
        .select(events::attendance_taken_at)
        .first(conn)
        .optional()?;
    if marked.flatten().is_some() {
        return Ok(true);
    }
    diesel::select(exists(
        registrations::table
            .filter(registrations::event_id.eq(event_id))
            .filter(registrations::attended_at.is_not_null()),
    ))
    .get_result(conn)
}
