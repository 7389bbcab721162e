//! Groups: created and deleted by administrators, changed by their leaders
//! (the kind only by administrators: it decides rights elsewhere), listed
//! and read by everyone, private ones only by their members and
//! administrators. Every change is published (`auth.group.changed`).

use common::list::ListRequest;
use common::{db, ApiError, AuthUser, Infra, Validator};
use contracts::auth::GroupChanged;
use diesel::PgConnection;
use uuid::Uuid;

use crate::db::groups;
use crate::db::models::{Group, GROUP_KINDS};
use crate::domain::permissions::require_visible;
use crate::domain::refusal::Refusal;
use crate::domain::validate;

/// A group's fields as written; absent ones stay when changing.
#[derive(Debug, Clone, Default)]
pub struct GroupFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub kind: Option<String>,
}

/// A new group; 409 `slug_taken`, 422 naming a wrong field.
pub async fn create_group(
    infra: &Infra,
    slug: String,
    name: String,
    description: String,
    kind: String,
) -> Result<Group, ApiError> {
    let mut v = Validator::new();
    validate::slug(&mut v, &slug);
    check_name(&mut v, &name);
    check_kind(&mut v, &kind);
    check_description(&mut v, &description);
    v.finish()?;
    infra
        .transaction(move |conn| {
            if groups::find_by_slug(conn, &slug)?.is_some() {
                return Err(Refusal::SlugTaken { slug }.into());
            }
            let created = groups::insert(conn, &slug, name.trim(), description.trim(), &kind)?;
            group_changed(conn, &created, false)?;
            Ok(created)
        })
        .await
}

/// A page of the groups `viewer` may see (of `kind`, if given), and how
/// many there are.
pub async fn list_groups(
    infra: &Infra,
    viewer: Option<&AuthUser>,
    kind: Option<String>,
    list: ListRequest,
) -> Result<(Vec<Group>, i64), ApiError> {
    if let Some(kind) = &kind {
        let mut v = Validator::new();
        check_kind(&mut v, kind);
        v.finish()?;
    }
    let admin = viewer.is_some_and(AuthUser::is_admin);
    let viewer: Option<Uuid> = viewer.map(|c| c.id);
    db::run(&infra.pool, move |conn| {
        Ok(groups::list(conn, &list, viewer, admin, kind.as_deref())?)
    })
    .await
}

/// Group `slug` if `viewer` may see it, with their role in it; 404 when
/// there is none (or it is private and not theirs).
pub async fn visible_group(
    infra: &Infra,
    viewer: Option<&AuthUser>,
    slug: String,
) -> Result<(Group, Option<String>), ApiError> {
    let viewer_id = viewer.map(|c| c.id);
    let (group, role) = db::run(&infra.pool, move |conn| {
        let group = groups::find_by_slug(conn, &slug)?
            .ok_or_else(|| ApiError::not_found(format!("no group {slug:?}")))?;
        let role = groups::role_of(conn, group.id, viewer_id)?;
        Ok((group, role))
    })
    .await?;
    require_visible(viewer, &group, role.as_deref())?;
    Ok((group, role))
}

/// `caller` (a manager of `group`) changes it; 403 `kind_admin_only` for a
/// new kind from anyone but an administrator.
pub async fn update_group(
    infra: &Infra,
    caller: &AuthUser,
    group: Group,
    change: GroupFields,
) -> Result<Group, ApiError> {
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
    infra
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
        .await
}

/// Deletes `group` (its memberships end with it).
pub async fn delete_group(infra: &Infra, group: Group) -> Result<(), ApiError> {
    infra
        .transaction(move |conn| {
            groups::delete(conn, group.id)?;
            group_changed(conn, &group, true)
        })
        .await
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
