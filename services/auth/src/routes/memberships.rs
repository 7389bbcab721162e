//! Group memberships: list (with history), add, change role, remove. Leaders
//! and admins manage; anyone may leave. A group has one leader: making someone
//! leader makes the previous leader a member.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{db, ApiError, AuthUser, Infra, MaybeAuthUser};
use diesel::PgConnection;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::groups::visible_group;
use crate::db::models::{Group, MemberView, LEADER, MEMBER};
use crate::db::{groups, users};
use crate::domain::permissions::require_manager;
use crate::domain::refusal::Refusal;
use contracts::auth::{Membership, MembershipChanged};

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
    let history = filter.history;
    let query = request.clone();
    let (rows, total): (Vec<MemberView>, i64) = db::run(&infra.pool, move |conn| {
        Ok(groups::members(conn, group.id, history, &query)?)
    })
    .await?;
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

fn check_role(role: &str) -> Result<(), ApiError> {
    if role == LEADER || role == MEMBER {
        Ok(())
    } else {
        Err(ApiError::field("role", "must be leader or member"))
    }
}

/// Ends an open membership and records the change.
fn leave(
    conn: &mut PgConnection,
    group: &Group,
    user_id: Uuid,
    actor: Uuid,
) -> Result<(), ApiError> {
    let Some(open) = groups::open_membership(conn, group.id, user_id)? else {
        return Err(ApiError::not_found(
            "that user is not a member of this group",
        ));
    };
    groups::end(conn, open.id)?;
    announce(conn, group, user_id, "left", None, Some(&open.role), actor)
}

/// Gives a user `role`, closing their previous stint; a new leader demotes the old.
fn assign(
    conn: &mut PgConnection,
    group: &Group,
    user_id: Uuid,
    role: &str,
    actor: Uuid,
) -> Result<(), ApiError> {
    let previous = groups::open_membership(conn, group.id, user_id)?;
    if previous.as_ref().is_some_and(|p| p.role == role) {
        return Ok(());
    }
    if role == LEADER {
        for old in groups::leaders(conn, group.id)? {
            if old.user_id != user_id {
                groups::end(conn, old.id)?;
                groups::start(conn, group.id, old.user_id, MEMBER)?;
                announce(
                    conn,
                    group,
                    old.user_id,
                    "role_changed",
                    Some(MEMBER),
                    Some(LEADER),
                    actor,
                )?;
            }
        }
    }
    if let Some(previous) = &previous {
        groups::end(conn, previous.id)?;
    }
    groups::start(conn, group.id, user_id, role)?;
    let change = if previous.is_some() {
        "role_changed"
    } else {
        "joined"
    };
    announce(
        conn,
        group,
        user_id,
        change,
        Some(role),
        previous.as_ref().map(|p| p.role.as_str()),
        actor,
    )
}

fn announce(
    conn: &mut PgConnection,
    group: &Group,
    user_id: Uuid,
    change: &str,
    role: Option<&str>,
    previous_role: Option<&str>,
    actor_id: Uuid,
) -> Result<(), ApiError> {
    common::outbox::publish(
        conn,
        &MembershipChanged(Membership {
            group_id: group.id,
            group_slug: group.slug.clone(),
            group_name: group.name.clone(),
            group_kind: group.kind.clone(),
            user_id,
            change: change.to_owned(),
            role: role.map(str::to_owned),
            previous_role: previous_role.map(str::to_owned),
            actor_id,
        }),
    )
    .map(|_| ())
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
    check_role(&role)?;
    let group = managed_group(&infra, &caller, slug.into_inner()).await?;
    let actor = caller.id;
    infra
        .transaction(move |conn| {
            users::find(conn, user_id).map_err(|_| ApiError::field("user_id", "no such user"))?;
            if groups::open_membership(conn, group.id, user_id)?.is_some() {
                return Err(Refusal::AlreadyMember.into());
            }
            assign(conn, &group, user_id, &role, actor)
        })
        .await?;
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
    let role = body.into_inner().role;
    check_role(&role)?;
    let group = managed_group(&infra, &caller, slug).await?;
    let actor = caller.id;
    infra
        .transaction(move |conn| {
            if groups::open_membership(conn, group.id, user_id)?.is_none() {
                return Err(ApiError::not_found(
                    "that user is not a member of this group",
                ));
            }
            assign(conn, &group, user_id, &role, actor)
        })
        .await?;
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
    let actor = caller.id;
    infra
        .transaction(move |conn| leave(conn, &group, user_id, actor))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
