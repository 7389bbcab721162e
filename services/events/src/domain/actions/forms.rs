//! An event's forms: its survey (answered before registering) and its
//! evaluation (answered by attendees afterwards). Writers of the event make
//! and edit them until the first answer; any logged-in member reads them.

use common::{db, ApiError, Infra, Validator};
use uuid::Uuid;

use crate::db::events;
use crate::db::forms::{self as queries, FormRow};
use crate::domain::forms::{check_form, Question, EVALUATION, SURVEY};
use crate::domain::refusal::Refusal;
use crate::views::{self, FormView};

/// Gives `event_id` a form of `kind`; 409 `form_exists` when it has one.
pub async fn create_form(
    infra: &Infra,
    event_id: Uuid,
    kind: String,
    title: String,
    questions: Vec<Question>,
) -> Result<FormView, ApiError> {
    let mut v = Validator::new();
    v.check(
        kind == SURVEY || kind == EVALUATION,
        "kind",
        "must be survey or evaluation",
    );
    check_form(&mut v, &title, &questions);
    v.finish()?;
    let questions = stored(&questions)?;
    let form = db::run(&infra.pool, move |conn| {
        queries::insert(conn, event_id, &kind, title.trim(), &questions)?
            .ok_or_else(|| ApiError::from(Refusal::FormExists { kind: kind.clone() }))
    })
    .await?;
    Ok(views::form(form, 0))
}

/// Changes the title or questions of `form` (absent: they stay); 409
/// `form_answered` once someone answered.
pub async fn update_form(
    infra: &Infra,
    form: FormRow,
    title: Option<String>,
    questions: Option<Vec<Question>>,
) -> Result<FormView, ApiError> {
    let title = title.unwrap_or(form.title.clone());
    let questions = questions.unwrap_or_else(|| views::questions_of(&form));
    let mut v = Validator::new();
    check_form(&mut v, &title, &questions);
    v.finish()?;
    let questions = stored(&questions)?;
    let form_id = form.id;
    let form = infra
        .transaction(move |conn| {
            queries::lock(conn, form_id)?.ok_or_else(|| ApiError::not_found("no such form"))?;
            if queries::answer_count(conn, form_id)? > 0 {
                return Err(Refusal::FormAnswered.into());
            }
            Ok(queries::update(conn, form_id, title.trim(), &questions)?)
        })
        .await?;
    Ok(views::form(form, 0))
}

/// Deletes a form and its answers.
pub async fn delete_form(infra: &Infra, form_id: Uuid) -> Result<(), ApiError> {
    db::run(&infra.pool, move |conn| Ok(queries::delete(conn, form_id)?))
        .await
        .map(|_| ())
}

/// The survey and evaluation of `event_id`, those it has.
pub async fn event_forms(infra: &Infra, event_id: Uuid) -> Result<Vec<FormView>, ApiError> {
    db::run(&infra.pool, move |conn| {
        events::find(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
        let mut forms = vec![];
        for kind in [SURVEY, EVALUATION] {
            if let Some(form) = queries::of_event(conn, event_id, kind)? {
                let answers = queries::answer_count(conn, form.id)?;
                forms.push(views::form(form, answers));
            }
        }
        Ok(forms)
    })
    .await
}

/// One form; 404 when none.
pub async fn get_form(infra: &Infra, form_id: Uuid) -> Result<FormView, ApiError> {
    db::run(&infra.pool, move |conn| {
        let form =
            queries::find(conn, form_id)?.ok_or_else(|| ApiError::not_found("no such form"))?;
        let answers = queries::answer_count(conn, form_id)?;
        Ok(views::form(form, answers))
    })
    .await
}

fn stored(questions: &[Question]) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(questions).map_err(|_| ApiError::field("questions", "cannot be stored"))
}
