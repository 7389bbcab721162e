//! Answering forms, and what organizers read of the answers: a table (and
//! CSV) and per-question counts. `GET /v1/me/forms` lists what I should answer.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::list::{ListParams, ListRequest};
use common::{db, ApiError, AuthUser, Infra, Json};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::forms::{questions_of, written_form};
use crate::db::{events, forms as queries, registrations};
use crate::domain::forms::{self, QuestionSummary, EVALUATION};
use crate::domain::refusal::Refusal;
use crate::state::EventsState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAnswers {
    /// One entry per question, in order: a string (text, single choice), a
    /// list of strings (multiple choice), or null for an optional question.
    #[schema(value_type = Vec<Object>)]
    pub answers: Vec<Value>,
}

/// One person's answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersView {
    pub user_id: Uuid,
    /// Empty when the person is not known to this service any more.
    pub username: String,
    #[schema(value_type = Vec<Object>)]
    pub answers: Vec<Value>,
    pub answered_at: DateTime<Utc>,
}

#[utoipa::path(tag = "forms", security(("bearer" = [])), request_body = NewAnswers,
    responses((status = 201, body = AnswersView, description = "answered; answers cannot change"),
              (status = 400), (status = 401),
              (status = 403, description = "an evaluation: only those who attended, after the event"),
              (status = 404), (status = 409, description = "already answered"),
              (status = 422, description = "an answer does not fit its question (named)")))]
#[post("/v1/forms/{form_id}/answers")]
pub async fn answer(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: Json<NewAnswers>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let (form_id, user_id, username) = (id.into_inner(), caller.id, caller.username.clone());
    let answers = body.into_inner().answers;
    let view = infra
        .transaction(move |conn| {
            // Locked so that an edit of the questions cannot slip in between.
            let form =
                queries::lock(conn, form_id)?.ok_or_else(|| ApiError::not_found("no such form"))?;
            forms::check_answers(&questions_of(&form), &answers)?;
            if form.kind == EVALUATION {
                may_evaluate(conn, form.event_id, user_id)?;
            }
            let stored = Value::Array(answers.clone());
            if !queries::answer(conn, form_id, user_id, &stored)? {
                return Err(Refusal::AlreadyAnswered.into());
            }
            Ok(AnswersView {
                user_id,
                username,
                answers,
                answered_at: Utc::now(),
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// An evaluation is answered after the event by those who attended it:
/// checked in, or confirmed where attendance was not taken.
fn may_evaluate(
    conn: &mut diesel::PgConnection,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<(), ApiError> {
    let event =
        events::find(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
    if event.ends_at > Utc::now() {
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

/// Sort fields of a form's answers.
pub const SORT_FIELDS: &[&str] = &["answered_at", "username"];

#[utoipa::path(tag = "forms", params(ListParams, ("sort" = Option<String>, Query, pattern = "^([-+]?(answered_at|username)(,[-+]?(answered_at|username))*)?$", description = "answered_at or username, `-` first for descending")),
    security(("bearer" = [])),
    responses((status = 200, description = "a page of answers; with format=csv a table: username, answered_at, then one column per question"),
              (status = 400), (status = 401), (status = 403), (status = 404)))]
#[get("/v1/forms/{form_id}/answers")]
pub async fn list_answers(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let form_id = id.into_inner();
    let request = ListRequest::parse(params.into_inner(), SORT_FIELDS, "answered_at", &req)?;
    let form = written_form(&req, &infra, &state, &caller, form_id).await?;
    let mut items: Vec<AnswersView> = db::run(&infra.pool, move |conn| {
        Ok(queries::answers(conn, form_id)?)
    })
    .await?
    .into_iter()
    .map(|(user_id, username, answers, answered_at)| AnswersView {
        user_id,
        username: username.unwrap_or_default(),
        answers: answers.as_array().cloned().unwrap_or_default(),
        answered_at,
    })
    .collect();
    items.sort_by(|a, b| {
        request
            .sort
            .iter()
            .map(|key| {
                let order = match key.field {
                    "username" => a.username.cmp(&b.username),
                    _ => a.answered_at.cmp(&b.answered_at),
                };
                if key.descending {
                    order.reverse()
                } else {
                    order
                }
            })
            .find(|order| order.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let total = items.len() as i64;
    let page: Vec<AnswersView> = items
        .into_iter()
        .skip(request.offset() as usize)
        .take(request.limit() as usize)
        .collect();
    let questions = questions_of(&form);
    Ok(request.respond_table(page, total, |items| {
        let header = ["username".to_owned(), "answered_at".to_owned()]
            .into_iter()
            .chain(questions.iter().map(|q| q.text.clone()))
            .collect();
        let rows = items
            .iter()
            .map(|a| {
                [a.username.clone(), a.answered_at.to_rfc3339()]
                    .into_iter()
                    .chain((0..questions.len()).map(|i| forms::cell(a.answers.get(i))))
                    .collect()
            })
            .collect();
        (header, rows)
    }))
}

/// What a form's answers add up to.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormSummary {
    pub form_id: Uuid,
    pub answers: usize,
    pub questions: Vec<QuestionSummary>,
}

#[utoipa::path(tag = "forms", security(("bearer" = [])),
    responses((status = 200, body = FormSummary), (status = 401), (status = 403), (status = 404)))]
#[get("/v1/forms/{form_id}/summary")]
pub async fn summary(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let form_id = id.into_inner();
    let form = written_form(&req, &infra, &state, &caller, form_id).await?;
    let answers: Vec<Vec<Value>> = db::run(&infra.pool, move |conn| {
        Ok(queries::answers(conn, form_id)?)
    })
    .await?
    .into_iter()
    .map(|(_, _, answers, _)| answers.as_array().cloned().unwrap_or_default())
    .collect();
    Ok(HttpResponse::Ok().json(FormSummary {
        form_id,
        answers: answers.len(),
        questions: forms::summary(&questions_of(&form), &answers),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MyFormsFilter {
    /// Only those I have not answered yet.
    pub unanswered: Option<bool>,
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

#[utoipa::path(tag = "forms", params(MyFormsFilter), security(("bearer" = [])),
    responses((status = 200, body = Vec<MyForm>, description = "surveys of events I am registered for and evaluations of events I attended, newest event first"),
              (status = 400), (status = 401)))]
#[get("/v1/me/forms")]
pub async fn my_forms(
    infra: web::Data<Infra>,
    caller: AuthUser,
    filter: web::Query<MyFormsFilter>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let (user_id, unanswered) = (caller.id, filter.unanswered.unwrap_or(false));
    let forms: Vec<MyForm> = db::run(&infra.pool, move |conn| {
        Ok(queries::of_user(conn, user_id, Utc::now())?)
    })
    .await?
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
    .collect();
    Ok(HttpResponse::Ok().json(forms))
}
