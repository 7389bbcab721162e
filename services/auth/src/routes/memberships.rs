//! Group memberships: list (with history), add, change role, remove. Leaders
//! and admins manage; anyone may leave. A group has one leader: making someone
//! leader makes the previous leader a member.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{ApiError, AuthUser, Infra, MaybeAuthUser};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::groups;
use crate::db::models::{Group, MEMBER};
use crate::domain::groups::visible_group;
use crate::domain::memberships::{self, Role};
use crate::domain::permissions::require_manager;

#[derive(Debug, Deserialize, IntoParams)]
pub struct MemberFilter {
    /// true for past memberships instead of current ones.
    #[serde(default)]
    pub history: bool,
}

#[utoipa::path(tag = "groups", params(ListParams, MemberFilter, ("sort" = Option<String>, Query, pattern = "^([-+]?(username|role|started_at|ended_at)(,[-+]?(username|role|started_at|ended_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: username, role, started_at, ended_at.")),
    responses((status = 200, description = "a page of members"), (status = 404)))]
#[get("/v1/groups/{slug}/members")]
pub async fn list_members(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: MaybeAuthUser,
    slug: web::Path<String>,
    params: web::Query<ListParams>,
    filter: web::Query<MemberFilter>,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(
        params.into_inner(),
        groups::MEMBER_SORT_FIELDS,
        "started_at",
        &req,
    )?;
    request.authorize_export(caller.0.as_ref())?;
    let (group, _) = visible_group(&infra, caller.0.as_ref(), slug.into_inner()).await?;
    let (rows, total) =
        memberships::members_of(&infra, &group, filter.history, request.clone()).await?;
    Ok(request.respond(rows, total))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddMember {
    pub user_id: Uuid,
    /// leader or member (default member).
    #[serde(default = "member")]
    #[schema(pattern = "^(leader|member)$")]
    pub role: String,
}

fn member() -> String {
    MEMBER.to_owned()
}

async fn managed_group(infra: &Infra, caller: &AuthUser, slug: String) -> Result<Group, ApiError> {
    let (group, role) = visible_group(infra, Some(caller), slug).await?;
    require_manager(caller, &group, role.as_deref())?;
    Ok(group)
}

#[utoipa::path(tag = "groups", request_body = AddMember, security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404), (status = 409, description = "already a member")))]
#[post("/v1/groups/{slug}/members")]
pub async fn add_member(
    infra: web::Data<Infra>,
    caller: AuthUser,
    slug: web::Path<String>,
    body: common::Json<AddMember>,
) -> Result<HttpResponse, ApiError> {
    let AddMember { user_id, role } = body.into_inner();
    let role = Role::parse(&role)?;
    let group = managed_group(&infra, &caller, slug.into_inner()).await?;
    memberships::add_member(&infra, group, user_id, role, caller.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeRole {
    /// leader or member.
    #[schema(pattern = "^(leader|member)$")]
    pub role: String,
}

#[utoipa::path(tag = "groups", request_body = ChangeRole,
    security(("bearer" = [])), responses((status = 204), (status = 403), (status = 404)))]
#[patch("/v1/groups/{slug}/members/{user_id}")]
pub async fn change_role(
    infra: web::Data<Infra>,
    caller: AuthUser,
    path: web::Path<(String, Uuid)>,
    body: common::Json<ChangeRole>,
) -> Result<HttpResponse, ApiError> {
    let (slug, user_id) = path.into_inner();
    let role = Role::parse(&body.into_inner().role)?;
    let group = managed_group(&infra, &caller, slug).await?;
    memberships::change_role(&infra, group, user_id, role, caller.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "groups", security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
#[delete("/v1/groups/{slug}/members/{user_id}")]
pub async fn remove_member(
    infra: web::Data<Infra>,
    caller: AuthUser,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, user_id) = path.into_inner();
    let group = if user_id == caller.id {
        visible_group(&infra, Some(&caller), slug).await?.0
    } else {
        managed_group(&infra, &caller, slug).await?
    };
    memberships::remove_member(&infra, group, user_id, caller.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
