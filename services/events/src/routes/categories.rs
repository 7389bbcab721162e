//! Event categories: everyone reads, administrators write.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{Admin, ApiError, Infra, MaybeAuthUser};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::categories::{Category, SORT_FIELDS};
use crate::domain::actions::categories::{self, CategoryFields};

#[utoipa::path(tag = "categories", params(ListParams, ("sort" = Option<String>, Query, pattern = "^([-+]?(name|created_at)(,[-+]?(name|created_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: name, created_at.")),
    responses((status = 200, description = "a page of categories"), (status = 400)))]
#[get("/v1/categories")]
pub async fn list_categories(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: MaybeAuthUser,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params.into_inner(), SORT_FIELDS, "name", &req)?;
    request.authorize_export(caller.0.as_ref())?;
    let (items, total) = categories::list_categories(&infra, request.clone()).await?;
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

impl From<CategoryInput> for CategoryFields {
    fn from(input: CategoryInput) -> Self {
        Self {
            name: input.name,
            description: input.description,
        }
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
    let created = categories::create_category(&infra, body.into_inner().into()).await?;
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
    let fields = body.into_inner().into();
    let updated = categories::update_category(&infra, id.into_inner(), fields).await?;
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
    categories::delete_category(&infra, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
