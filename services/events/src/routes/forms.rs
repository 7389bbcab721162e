//! An event's forms: its survey (answered before registering) and its
//! evaluation (answered by attendees afterwards). Writers of the event make
//! and edit them until the first answer; any logged-in member reads them.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use common::{ApiError, AuthUser, Infra, Json};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{EventWriter, FormWriter};
use crate::domain::actions::forms;
use crate::domain::forms::Question;
use crate::views::FormView;

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
    let new = body.into_inner();
    let (kind, title, questions) = (new.kind, new.title, new.questions);
    let form = forms::create_form(&infra, id.into_inner(), kind, title, questions).await?;
    Ok(HttpResponse::Created().json(form))
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
    let forms = forms::event_forms(&infra, id.into_inner()).await?;
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
    let form = forms::get_form(&infra, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(form))
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
    infra: web::Data<Infra>,
    FormWriter { form, .. }: FormWriter,
    _id: web::Path<Uuid>,
    body: Json<FormChange>,
) -> Result<HttpResponse, ApiError> {
    let change = body.into_inner();
    let form = forms::update_form(&infra, form, change.title, change.questions).await?;
    Ok(HttpResponse::Ok().json(form))
}

#[utoipa::path(tag = "forms", security(("bearer" = [])),
    responses((status = 204, description = "deleted with its answers"), (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/forms/{form_id}")]
pub async fn delete_form(
    infra: web::Data<Infra>,
    FormWriter { form, .. }: FormWriter,
    _id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    forms::delete_form(&infra, form.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
