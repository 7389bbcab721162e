//! Groups: create (admins), list and read (private ones only for members and
//! admins), update (leaders and admins), delete (admins).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{db, Admin, ApiError, AuthUser, Infra, MaybeAuthUser, Validator};
use contracts::auth::GroupChanged;
use diesel::PgConnection;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::db::groups;
use crate::db::models::{Group, GROUP_KINDS};
use crate::domain::permissions::{require_manager, require_visible};
use crate::domain::refusal::Refusal;
use crate::domain::validate;

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

fn check_kind(v: &mut Validator, kind: &str) {
    v.check(
        GROUP_KINDS.contains(&kind),
        "kind",
        format!("must be one of {}", GROUP_KINDS.join(", ")),
    );
}

fn check_description(v: &mut Validator, description: &str) {
    v.check(
        description.chars().count() <= 5000,
        "description",
        "must be at most 5000 characters",
    );
}

fn check_name(v: &mut Validator, name: &str) {
    let length = name.trim().chars().count();
    v.check(
        (1..=200).contains(&length),
        "name",
        "must be 1 to 200 characters",
    );
}

#[utoipa::path(tag = "groups", request_body = NewGroup, security(("bearer" = [])),
    responses((status = 201, body = Group), (status = 403), (status = 409), (status = 422)))]
#[post("/v1/groups")]
pub async fn create_group(
    infra: web::Data<Infra>,
    _admin: Admin,
    body: common::Json<NewGroup>,
) -> Result<HttpResponse, ApiError> {
    let group = body.into_inner();
    let mut v = Validator::new();
    validate::slug(&mut v, &group.slug);
    check_name(&mut v, &group.name);
    check_kind(&mut v, &group.kind);
    check_description(&mut v, &group.description);
    v.finish()?;
    let created = infra
        .transaction(move |conn| {
            if groups::find_by_slug(conn, &group.slug)?.is_some() {
                return Err(Refusal::SlugTaken { slug: group.slug }.into());
            }
            let created = groups::insert(
                conn,
                &group.slug,
                group.name.trim(),
                group.description.trim(),
                &group.kind,
            )?;
            group_changed(conn, &created, false)?;
            Ok(created)
        })
        .await?;
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
    let request = ListRequest::parse(params.into_inner(), groups::SORT_FIELDS, "slug", &req)?;
    request.authorize_export(caller.0.as_ref())?;
    let kind = filter.into_inner().kind;
    if let Some(kind) = &kind {
        let mut v = Validator::new();
        check_kind(&mut v, kind);
        v.finish()?;
    }
    let viewer = caller.0.as_ref().map(|c| c.id);
    let admin = caller.0.as_ref().is_some_and(AuthUser::is_admin);
    let query = request.clone();
    let (rows, total) = db::run(&infra.pool, move |conn| {
        Ok(groups::list(conn, &query, viewer, admin, kind.as_deref())?)
    })
    .await?;
    Ok(request.respond(rows, total))
}

/// Loads a group the caller may see, with the caller's role in it.
pub async fn visible_group(
    infra: &Infra,
    caller: Option<&AuthUser>,
    slug: String,
) -> Result<(Group, Option<String>), ApiError> {
    let viewer = caller.map(|c| c.id);
    let (group, role) = db::run(&infra.pool, move |conn| {
        let group = groups::find_by_slug(conn, &slug)?
            .ok_or_else(|| ApiError::not_found(format!("no group {slug:?}")))?;
        let role = groups::role_of(conn, group.id, viewer)?;
        Ok((group, role))
    })
    .await?;
    require_visible(caller, &group, role.as_deref())?;
    Ok((group, role))
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
    // The kind decides rights elsewhere (a committee's leaders publish news),
    // so only administrators change it.
    if change
        .kind
        .as_deref()
        .is_some_and(|kind| kind != group.kind)
        && !caller.is_admin()
    {
        return Err(Refusal::KindAdminOnly.into());
    }
    let mut v = Validator::new();
    if let Some(name) = &change.name {
        check_name(&mut v, name);
    }
    if let Some(kind) = &change.kind {
        check_kind(&mut v, kind);
    }
    if let Some(description) = &change.description {
        check_description(&mut v, description);
    }
    v.finish()?;
    let updated = infra
        .transaction(move |conn| {
            let updated = groups::update(
                conn,
                group.id,
                change.name.as_deref().map(str::trim),
                change.description.as_deref().map(str::trim),
                change.kind.as_deref(),
            )?;
            group_changed(conn, &updated, false)?;
            Ok(updated)
        })
        .await?;
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
    infra
        .transaction(move |conn| {
            groups::delete(conn, group.id)?;
            group_changed(conn, &group, true)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Tells other services (`auth.group.changed`) what the group is now.
fn group_changed(conn: &mut PgConnection, group: &Group, deleted: bool) -> Result<(), ApiError> {
    common::outbox::publish(
        conn,
        &GroupChanged(contracts::auth::Group {
            group_id: group.id,
            slug: group.slug.clone(),
            name: group.name.clone(),
            kind: group.kind.clone(),
            deleted,
        }),
    )
    .map(|_| ())
}
