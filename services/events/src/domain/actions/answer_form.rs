//! Answering a form, and what its event's writers read of the answers. An
//! evaluation is answered after the event by those who attended it:
//! checked in, or confirmed where attendance was not taken.

use chrono::{DateTime, Utc};
use common::{db, ApiError, AuthUser, Infra};
use diesel::PgConnection;
use serde_json::Value;
use uuid::Uuid;

use crate::db::forms::{self as queries, FormRow};
use crate::db::{events, registrations};
use crate::domain::forms::{self, EVALUATION};
use crate::domain::refusal::Refusal;
use crate::views::{questions_of, AnswersView, FormSummary, MyForm};

/// `caller` answers `form_id` once; 409 `already_answered` after that, 403
/// `not_ended` or `not_attended` for an evaluation they may not answer.
pub async fn answer_form(
    infra: &Infra,
    caller: &AuthUser,
    form_id: Uuid,
    answers: Vec<Value>,
    now: DateTime<Utc>,
) -> Result<AnswersView, ApiError> {
    let (user_id, username) = (caller.id, caller.username.clone());
    infra
        .transaction(move |conn| {
            // Locked so that an edit of the questions cannot slip in between.
            let form =
                queries::lock(conn, form_id)?.ok_or_else(|| ApiError::not_found("no such form"))?;
            forms::check_answers(&questions_of(&form), &answers)?;
            if form.kind == EVALUATION {
                may_evaluate(conn, form.event_id, user_id, now)?;
            }
            let stored = Value::Array(answers.clone());
            if !queries::answer(conn, form_id, user_id, &stored)? {
                return Err(Refusal::AlreadyAnswered.into());
            }
            Ok(AnswersView {
                user_id,
                username,
                answers,
                answered_at: now,
            })
        })
        .await
}

fn may_evaluate(
    conn: &mut PgConnection,
    event_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let event =
        events::find(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
    if event.ends_at > now {
        return Err(Refusal::NotEnded.into());
    }
    let attended = match registrations::find(conn, event_id, user_id)? {
        Some(r) if r.is_confirmed() => {
            r.attended_at.is_some() || !queries::attendance_taken(conn, event_id)?
        }
        _ => false,
    };
    if !attended {
        return Err(Refusal::NotAttended.into());
    }
    Ok(())
}

/// Everyone's answers to `form_id`, in no particular order.
pub async fn answers_to(infra: &Infra, form_id: Uuid) -> Result<Vec<AnswersView>, ApiError> {
    let rows = db::run(&infra.pool, move |conn| {
        Ok(queries::answers(conn, form_id)?)
    })
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, username, answers, answered_at)| AnswersView {
            user_id,
            username: username.unwrap_or_default(),
            answers: answers.as_array().cloned().unwrap_or_default(),
            answered_at,
        })
        .collect())
}

/// What the answers to `form` add up to, question by question.
pub async fn summary_of(infra: &Infra, form: &FormRow) -> Result<FormSummary, ApiError> {
    let answers: Vec<Vec<Value>> = answers_to(infra, form.id)
        .await?
        .into_iter()
        .map(|a| a.answers)
        .collect();
    Ok(FormSummary {
        form_id: form.id,
        answers: answers.len(),
        questions: forms::summary(&questions_of(form), &answers),
    })
}

/// Surveys of events `user_id` is registered for and evaluations of events
/// they attended, newest event first (`unanswered`: only those still open).
pub async fn my_forms(
    infra: &Infra,
    user_id: Uuid,
    unanswered: bool,
    now: DateTime<Utc>,
) -> Result<Vec<MyForm>, ApiError> {
    let rows = db::run(&infra.pool, move |conn| {
        Ok(queries::of_user(conn, user_id, now)?)
    })
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, answered)| !(unanswered && *answered))
        .map(|(form, event_title, answered)| MyForm {
            form_id: form.id,
            event_id: form.event_id,
            event_title,
            kind: form.kind,
            title: form.title,
            answered,
        })
        .collect())
}
