//! An event's forms: its survey (answered before registering) and its
//! evaluation (answered by attendees afterwards). Writers of the event make
//! and edit them until the first answer; any logged-in member reads them.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::{db, ApiError, AuthUser, Infra, Json, Validator};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{self, EventWriter};
use crate::db::forms::{self as queries, FormRow};
use crate::domain::forms::{check_form, Question, EVALUATION, SURVEY};
use crate::domain::refusal::Refusal;
use crate::state::EventsState;

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

fn view(form: FormRow, answers: i64) -> FormView {
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewForm {
    /// `survey` (answered before registering; registering needs it) or
    /// `evaluation` (answered by attendees after the event).
    #[schema(pattern = "^(survey|evaluation)$")]
    pub kind: String,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(min_items = 1, max_items = 100)]
    pub questions: Vec<Question>,
}

#[utoipa::path(tag = "forms", security(("bearer" = [])), request_body = NewForm,
    responses((status = 201, body = FormView), (status = 400), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "the event has a form of that kind already"),
              (status = 422, description = "no questions, or a field is wrong (named)")))]
#[post("/v1/events/{id}/forms")]
pub async fn create_form(
    infra: web::Data<Infra>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
    body: Json<NewForm>,
) -> Result<HttpResponse, ApiError> {
    let event_id = id.into_inner();
    let new = body.into_inner();
    let mut v = Validator::new();
    v.check(
        new.kind == SURVEY || new.kind == EVALUATION,
        "kind",
        "must be survey or evaluation",
    );
    check_form(&mut v, &new.title, &new.questions);
    v.finish()?;
    let questions = serde_json::to_value(&new.questions)
        .map_err(|_| ApiError::field("questions", "cannot be stored"))?;
    let form = db::run(&infra.pool, move |conn| {
        queries::insert(conn, event_id, &new.kind, new.title.trim(), &questions)?.ok_or_else(|| {
            ApiError::from(Refusal::FormExists {
                kind: new.kind.clone(),
            })
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(view(form, 0)))
}

/// The form, and 403 unless the caller writes its event.
pub(super) async fn written_form(
    req: &HttpRequest,
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    form_id: Uuid,
) -> Result<FormRow, ApiError> {
    let form = find(infra, form_id).await?;
    caller::written_event(infra, state, caller, req, form.event_id).await?;
    Ok(form)
}

pub async fn find(infra: &Infra, form_id: Uuid) -> Result<FormRow, ApiError> {
    db::run(&infra.pool, move |conn| {
        queries::find(conn, form_id)?.ok_or_else(|| ApiError::not_found("no such form"))
    })
    .await
}

#[utoipa::path(tag = "forms", security(("bearer" = [])),
    responses((status = 200, body = Vec<FormView>, description = "the event's survey and evaluation, those it has"),
              (status = 401), (status = 404)))]
#[get("/v1/events/{id}/forms")]
pub async fn event_forms(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let event_id = id.into_inner();
    let forms = db::run(&infra.pool, move |conn| {
        crate::db::events::find(conn, event_id)?
            .ok_or_else(|| ApiError::not_found("no such event"))?;
        let mut forms = vec![];
        for kind in [SURVEY, EVALUATION] {
            if let Some(form) = queries::of_event(conn, event_id, kind)? {
                let answers = queries::answer_count(conn, form.id)?;
                forms.push(view(form, answers));
            }
        }
        Ok(forms)
    })
    .await?;
    Ok(HttpResponse::Ok().json(forms))
}

#[utoipa::path(tag = "forms", security(("bearer" = [])),
    responses((status = 200, body = FormView), (status = 401), (status = 404)))]
#[get("/v1/forms/{form_id}")]
pub async fn get_form(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let form_id = id.into_inner();
    let (form, answers) = db::run(&infra.pool, move |conn| {
        let form =
            queries::find(conn, form_id)?.ok_or_else(|| ApiError::not_found("no such form"))?;
        let answers = queries::answer_count(conn, form_id)?;
        Ok((form, answers))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view(form, answers)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormChange {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(min_items = 1, max_items = 100)]
    pub questions: Option<Vec<Question>>,
}

#[utoipa::path(tag = "forms", security(("bearer" = [])), request_body = FormChange,
    responses((status = 200, body = FormView), (status = 400), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "the form has answers: it can no longer change"),
              (status = 422)))]
#[patch("/v1/forms/{form_id}")]
pub async fn update_form(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: Json<FormChange>,
) -> Result<HttpResponse, ApiError> {
    let form_id = id.into_inner();
    let current = written_form(&req, &infra, &state, &caller, form_id).await?;
    let change = body.into_inner();
    let title = change.title.unwrap_or(current.title.clone());
    let questions = change.questions.unwrap_or_else(|| questions_of(&current));
    let mut v = Validator::new();
    check_form(&mut v, &title, &questions);
    v.finish()?;
    let stored = serde_json::to_value(&questions)
        .map_err(|_| ApiError::field("questions", "cannot be stored"))?;
    let form = infra
        .transaction(move |conn| {
            queries::lock(conn, form_id)?.ok_or_else(|| ApiError::not_found("no such form"))?;
            if queries::answer_count(conn, form_id)? > 0 {
                return Err(Refusal::FormAnswered.into());
            }
            Ok(queries::update(conn, form_id, title.trim(), &stored)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view(form, 0)))
}

#[utoipa::path(tag = "forms", security(("bearer" = [])),
    responses((status = 204, description = "deleted with its answers"), (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/forms/{form_id}")]
pub async fn delete_form(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let form_id = id.into_inner();
    written_form(&req, &infra, &state, &caller, form_id).await?;
    db::run(&infra.pool, move |conn| Ok(queries::delete(conn, form_id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
