//! Answering forms, and what organizers read of the answers: a table (and
//! CSV) and per-question counts. `GET /v1/me/forms` lists what I should answer.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{ApiError, AuthUser, Infra, Json};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::caller::FormWriter;
use crate::domain::actions::answer_form;
use crate::domain::forms;
use crate::state::EventsState;
use crate::views::{questions_of, AnswersView, FormSummary, MyForm};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAnswers {
    /// One entry per question, in order: a string (text, single choice), a
    /// list of strings (multiple choice), or null for an optional question.
    #[schema(value_type = Vec<Object>)]
    pub answers: Vec<Value>,
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
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: Json<NewAnswers>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let answers = body.into_inner().answers;
    let now = state.settings.clock.now();
    let view = answer_form::answer_form(&infra, &caller, id.into_inner(), answers, now).await?;
    Ok(HttpResponse::Created().json(view))
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
    FormWriter { form, .. }: FormWriter,
    _id: web::Path<Uuid>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params.into_inner(), SORT_FIELDS, "answered_at", &req)?;
    let mut items = answer_form::answers_to(&infra, form.id).await?;
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

#[utoipa::path(tag = "forms", security(("bearer" = [])),
    responses((status = 200, body = FormSummary), (status = 401), (status = 403), (status = 404)))]
#[get("/v1/forms/{form_id}/summary")]
pub async fn summary(
    infra: web::Data<Infra>,
    FormWriter { form, .. }: FormWriter,
    _id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let summary = answer_form::summary_of(&infra, &form).await?;
    Ok(HttpResponse::Ok().json(summary))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MyFormsFilter {
    /// Only those I have not answered yet.
    pub unanswered: Option<bool>,
}

#[utoipa::path(tag = "forms", params(MyFormsFilter), security(("bearer" = [])),
    responses((status = 200, body = Vec<MyForm>, description = "surveys of events I am registered for and evaluations of events I attended, newest event first"),
              (status = 400), (status = 401)))]
#[get("/v1/me/forms")]
pub async fn my_forms(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    filter: web::Query<MyFormsFilter>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let unanswered = filter.unanswered.unwrap_or(false);
    let now = state.settings.clock.now();
    let forms = answer_form::my_forms(&infra, caller.id, unanswered, now).await?;
    Ok(HttpResponse::Ok().json(forms))
}
