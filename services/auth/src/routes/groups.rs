//! Groups: create (admins), list and read (private ones only for members and
//! admins), update (leaders and admins), delete (admins).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{Admin, ApiError, AuthUser, Infra, MaybeAuthUser};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::db::groups::SORT_FIELDS;
use crate::db::models::Group;
use crate::domain::groups::{self, visible_group, GroupFields};
use crate::domain::permissions::require_manager;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewGroup {
    #[schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
    pub slug: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
    /// board, committee, subgroup, interest_group, study, other or private.
    #[schema(pattern = "^(board|committee|subgroup|interest_group|study|other|private)$")]
    pub kind: String,
}

#[utoipa::path(tag = "groups", request_body = NewGroup, security(("bearer" = [])),
    responses((status = 201, body = Group), (status = 403), (status = 409), (status = 422)))]
#[post("/v1/groups")]
pub async fn create_group(
    infra: web::Data<Infra>,
    _admin: Admin,
    body: common::Json<NewGroup>,
) -> Result<HttpResponse, ApiError> {
    let NewGroup {
        slug,
        name,
        description,
        kind,
    } = body.into_inner();
    let created = groups::create_group(&infra, slug, name, description, kind).await?;
    Ok(HttpResponse::Created().json(created))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct GroupFilter {
    /// Only groups of this kind.
    #[param(pattern = "^(board|committee|subgroup|interest_group|study|other|private)$")]
    pub kind: Option<String>,
}

#[utoipa::path(tag = "groups", params(ListParams, GroupFilter, ("sort" = Option<String>, Query, pattern = "^([-+]?(slug|name|kind|created_at)(,[-+]?(slug|name|kind|created_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: slug, name, kind, created_at.")),
    responses((status = 200, description = "a page of the groups the caller may see")))]
#[get("/v1/groups")]
pub async fn list_groups(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: MaybeAuthUser,
    params: web::Query<ListParams>,
    filter: web::Query<GroupFilter>,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params.into_inner(), SORT_FIELDS, "slug", &req)?;
    request.authorize_export(caller.0.as_ref())?;
    let kind = filter.into_inner().kind;
    let (rows, total) =
        groups::list_groups(&infra, caller.0.as_ref(), kind, request.clone()).await?;
    Ok(request.respond(rows, total))
}

#[utoipa::path(tag = "groups",
    responses((status = 200, body = Group), (status = 404)))]
#[get("/v1/groups/{slug}")]
pub async fn get_group(
    infra: web::Data<Infra>,
    caller: MaybeAuthUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (group, _) = visible_group(&infra, caller.0.as_ref(), slug.into_inner()).await?;
    Ok(HttpResponse::Ok().json(group))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGroup {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub name: Option<String>,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[schema(pattern = "^(board|committee|subgroup|interest_group|study|other|private)$")]
    pub kind: Option<String>,
}

#[utoipa::path(tag = "groups", request_body = UpdateGroup, security(("bearer" = [])),
    responses((status = 200, body = Group), (status = 403), (status = 404), (status = 422)))]
#[patch("/v1/groups/{slug}")]
pub async fn update_group(
    infra: web::Data<Infra>,
    caller: AuthUser,
    slug: web::Path<String>,
    body: common::Json<UpdateGroup>,
) -> Result<HttpResponse, ApiError> {
    let (group, role) = visible_group(&infra, Some(&caller), slug.into_inner()).await?;
    require_manager(&caller, &group, role.as_deref())?;
    let change = body.into_inner();
    let change = GroupFields {
        name: change.name,
        description: change.description,
        kind: change.kind,
    };
    let updated = groups::update_group(&infra, &caller, group, change).await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[utoipa::path(tag = "groups", security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
#[delete("/v1/groups/{slug}")]
pub async fn delete_group(
    infra: web::Data<Infra>,
    Admin(caller): Admin,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (group, _) = visible_group(&infra, Some(&caller), slug.into_inner()).await?;
    groups::delete_group(&infra, group).await?;
    Ok(HttpResponse::NoContent().finish())
}
