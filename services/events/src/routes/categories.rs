//! Event categories: everyone reads, administrators write.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{db, Admin, ApiError, Infra, MaybeAuthUser, Validator};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::categories::{self, Category};
use crate::domain::refusal::Refusal;
use crate::domain::validate;

#[utoipa::path(tag = "categories", params(ListParams, ("sort" = Option<String>, Query, pattern = "^([-+]?(name|created_at)(,[-+]?(name|created_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: name, created_at.")),
    responses((status = 200, description = "a page of categories"), (status = 400)))]
#[get("/v1/categories")]
pub async fn list_categories(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: MaybeAuthUser,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params.into_inner(), categories::SORT_FIELDS, "name", &req)?;
    request.authorize_export(caller.0.as_ref())?;
    let list = request.clone();
    let (items, total) =
        db::run(&infra.pool, move |conn| Ok(categories::list(conn, &list)?)).await?;
    Ok(request.respond(items, total))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub name: Option<String>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

/// A new category (the create body in the documentation; read as
/// [`CategoryInput`], whose `name` is then required).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct NewCategory {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    name: String,
    #[schema(max_length = 2000)]
    description: Option<String>,
}

fn check(input: &CategoryInput, creating: bool) -> Result<(), ApiError> {
    let mut v = Validator::new();
    match &input.name {
        Some(name) => {
            validate::text(&mut v, "name", name, 100);
            v.check(!name.trim().is_empty(), "name", "must not be empty");
        }
        None => {
            v.check(!creating, "name", "is required");
        }
    }
    if let Some(description) = &input.description {
        validate::text(&mut v, "description", description, 2000);
    }
    v.finish()
}

fn taken(error: diesel::result::Error) -> ApiError {
    match error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ApiError::from(Refusal::CategoryExists),
        other => other.into(),
    }
}

#[utoipa::path(tag = "categories", request_body = NewCategory, security(("bearer" = [])),
    responses((status = 201, body = Category), (status = 401), (status = 403), (status = 409, description = "a category with this name exists"), (status = 422)))]
#[post("/v1/categories")]
pub async fn create_category(
    infra: web::Data<Infra>,
    _admin: Admin,
    body: common::Json<CategoryInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    check(&input, true)?;
    let created = db::run(&infra.pool, move |conn| {
        let name = input.name.unwrap_or_default();
        categories::insert(
            conn,
            name.trim(),
            input.description.as_deref().unwrap_or(""),
        )?
        .ok_or_else(|| ApiError::from(Refusal::CategoryExists))
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(tag = "categories", request_body = CategoryInput, security(("bearer" = [])),
    responses((status = 200, body = Category), (status = 401), (status = 403), (status = 404), (status = 409, description = "a category with this name exists"), (status = 422)))]
#[patch("/v1/categories/{id}")]
pub async fn update_category(
    infra: web::Data<Infra>,
    _admin: Admin,
    id: web::Path<Uuid>,
    body: common::Json<CategoryInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    check(&input, false)?;
    let id = id.into_inner();
    let updated = db::run(&infra.pool, move |conn| {
        categories::update(
            conn,
            id,
            input.name.as_deref().map(str::trim),
            input.description.as_deref(),
        )
        .map_err(taken)?
        .ok_or_else(|| ApiError::not_found("no such category"))
    })
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[utoipa::path(tag = "categories", security(("bearer" = [])),
    responses((status = 204, description = "deleted; its events keep no category"), (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/categories/{id}")]
pub async fn delete_category(
    infra: web::Data<Infra>,
    _admin: Admin,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let deleted = db::run(&infra.pool, move |conn| Ok(categories::delete(conn, id)?)).await?;
    if deleted == 0 {
        return Err(ApiError::not_found("no such category"));
    }
    Ok(HttpResponse::NoContent().finish())
}
