//! Groups and memberships.

use chrono::Utc;
use common::jwt::GroupClaim;
use common::list::ListRequest;
use diesel::prelude::*;
use uuid::Uuid;

use super::like_pattern;
use super::models::{Group, MemberView, Membership, PRIVATE};
use super::schema::{groups, memberships, users};

pub const SORT_FIELDS: &[&str] = &["slug", "name", "kind", "created_at"];
pub const MEMBER_SORT_FIELDS: &[&str] = &["username", "role", "started_at", "ended_at"];

pub fn insert(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
    description: &str,
    kind: &str,
) -> QueryResult<Group> {
    diesel::insert_into(groups::table)
        .values((
            groups::id.eq(Uuid::new_v4()),
            groups::slug.eq(slug),
            groups::name.eq(name),
            groups::description.eq(description),
            groups::kind.eq(kind),
        ))
        .returning(Group::as_returning())
        .get_result(conn)
}

pub fn find_by_slug(conn: &mut PgConnection, slug: &str) -> QueryResult<Option<Group>> {
    groups::table
        .filter(groups::slug.eq(slug))
        .select(Group::as_select())
        .first(conn)
        .optional()
}

pub fn update(
    conn: &mut PgConnection,
    id: Uuid,
    name: Option<&str>,
    description: Option<&str>,
    kind: Option<&str>,
) -> QueryResult<Group> {
    let current: Group = groups::table
        .find(id)
        .select(Group::as_select())
        .first(conn)?;
    diesel::update(groups::table.find(id))
        .set((
            groups::name.eq(name.unwrap_or(&current.name)),
            groups::description.eq(description.unwrap_or(&current.description)),
            groups::kind.eq(kind.unwrap_or(&current.kind)),
            groups::updated_at.eq(Utc::now()),
        ))
        .returning(Group::as_returning())
        .get_result(conn)
}

pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(groups::table.find(id)).execute(conn)
}

/// Groups `viewer` may see (all for admins), one page, and the total.
pub fn list(
    conn: &mut PgConnection,
    request: &ListRequest,
    viewer: Option<Uuid>,
    admin: bool,
    kind: Option<&str>,
) -> QueryResult<(Vec<Group>, i64)> {
    let filtered = || {
        let mut query = groups::table.into_boxed();
        if !admin {
            let mine = memberships::table
                .filter(memberships::user_id.nullable().eq(viewer))
                .filter(memberships::ended_at.is_null())
                .select(memberships::group_id);
            query = query.filter(groups::kind.ne(PRIVATE).or(groups::id.eq_any(mine)));
        }
        if let Some(q) = &request.q {
            let pattern = like_pattern(q);
            query = query.filter(
                groups::name
                    .ilike(pattern.clone())
                    .or(groups::slug.ilike(pattern)),
            );
        }
        if let Some(kind) = kind {
            query = query.filter(groups::kind.eq(kind.to_owned()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut query = filtered().select(Group::as_select());
    for key in &request.sort {
        query = match (key.field, key.descending) {
            ("name", false) => query.then_order_by(groups::name.asc()),
            ("name", true) => query.then_order_by(groups::name.desc()),
            ("kind", false) => query.then_order_by(groups::kind.asc()),
            ("kind", true) => query.then_order_by(groups::kind.desc()),
            ("created_at", false) => query.then_order_by(groups::created_at.asc()),
            ("created_at", true) => query.then_order_by(groups::created_at.desc()),
            ("slug", true) => query.then_order_by(groups::slug.desc()),
            _ => query.then_order_by(groups::slug.asc()),
        };
    }
    let rows = query
        .offset(request.offset())
        .limit(request.limit())
        .load(conn)?;
    Ok((rows, total))
}

/// The open memberships of a user, for token claims and permissions.
pub fn claims_for(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Vec<GroupClaim>> {
    memberships::table
        .inner_join(groups::table)
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::ended_at.is_null())
        .select((groups::slug, memberships::role, groups::kind))
        .order(groups::slug.asc())
        .load::<(String, String, String)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(slug, role, kind)| GroupClaim { slug, role, kind })
                .collect()
        })
}

/// A current membership with its group, as `/v1/me/permissions` shows it.
#[derive(Debug, Clone, Queryable)]
pub struct CurrentMembership {
    pub group_id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub role: String,
}

impl CurrentMembership {
    pub fn claim(&self) -> GroupClaim {
        GroupClaim {
            slug: self.slug.clone(),
            role: self.role.clone(),
            kind: self.kind.clone(),
        }
    }
}

/// `user_id`'s current memberships, by group slug.
pub fn memberships_of(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> QueryResult<Vec<CurrentMembership>> {
    memberships::table
        .inner_join(groups::table)
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::ended_at.is_null())
        .select((
            groups::id,
            groups::slug,
            groups::name,
            groups::kind,
            memberships::role,
        ))
        .order(groups::slug.asc())
        .load(conn)
}

pub fn open_membership(
    conn: &mut PgConnection,
    group_id: Uuid,
    user_id: Uuid,
) -> QueryResult<Option<Membership>> {
    memberships::table
        .filter(memberships::group_id.eq(group_id))
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::ended_at.is_null())
        .select(Membership::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// Open leader memberships of a group.
pub fn leaders(conn: &mut PgConnection, group_id: Uuid) -> QueryResult<Vec<Membership>> {
    memberships::table
        .filter(memberships::group_id.eq(group_id))
        .filter(memberships::role.eq(super::models::LEADER))
        .filter(memberships::ended_at.is_null())
        .select(Membership::as_select())
        .for_update()
        .load(conn)
}

pub fn start(
    conn: &mut PgConnection,
    group_id: Uuid,
    user_id: Uuid,
    role: &str,
) -> QueryResult<Membership> {
    diesel::insert_into(memberships::table)
        .values((
            memberships::id.eq(Uuid::new_v4()),
            memberships::group_id.eq(group_id),
            memberships::user_id.eq(user_id),
            memberships::role.eq(role),
        ))
        .returning(Membership::as_returning())
        .get_result(conn)
}

pub fn end(conn: &mut PgConnection, membership_id: Uuid) -> QueryResult<()> {
    diesel::update(memberships::table.find(membership_id))
        .set(memberships::ended_at.eq(Utc::now()))
        .execute(conn)
        .map(|_| ())
}

/// Members of a group (open ones, or past ones when `history`), one page.
pub fn members(
    conn: &mut PgConnection,
    group_id: Uuid,
    history: bool,
    request: &ListRequest,
) -> QueryResult<(Vec<MemberView>, i64)> {
    let filtered = || {
        let query = memberships::table
            .inner_join(users::table)
            .filter(memberships::group_id.eq(group_id))
            .into_boxed();
        if history {
            query.filter(memberships::ended_at.is_not_null())
        } else {
            query.filter(memberships::ended_at.is_null())
        }
    };
    let total = filtered().count().get_result(conn)?;
    let mut query = filtered().select((
        memberships::user_id,
        users::username,
        memberships::role,
        memberships::started_at,
        memberships::ended_at,
    ));
    for key in &request.sort {
        query = match (key.field, key.descending) {
            ("username", false) => query.then_order_by(users::username.asc()),
            ("username", true) => query.then_order_by(users::username.desc()),
            ("role", false) => query.then_order_by(memberships::role.asc()),
            ("role", true) => query.then_order_by(memberships::role.desc()),
            ("ended_at", false) => query.then_order_by(memberships::ended_at.asc()),
            ("ended_at", true) => query.then_order_by(memberships::ended_at.desc()),
            ("started_at", true) => query.then_order_by(memberships::started_at.desc()),
            _ => query.then_order_by(memberships::started_at.asc()),
        };
    }
    let rows = query
        .offset(request.offset())
        .limit(request.limit())
        .load::<(
            Uuid,
            String,
            String,
            chrono::DateTime<Utc>,
            Option<chrono::DateTime<Utc>>,
        )>(conn)?
        .into_iter()
        .map(
            |(user_id, username, role, started_at, ended_at)| MemberView {
                user_id,
                username,
                role,
                started_at,
                ended_at,
            },
        )
        .collect();
    Ok((rows, total))
}

/// The user's current role in a group, if a member.
pub fn role_of(
    conn: &mut PgConnection,
    group_id: Uuid,
    user_id: Option<Uuid>,
) -> QueryResult<Option<String>> {
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    memberships::table
        .filter(memberships::group_id.eq(group_id))
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::ended_at.is_null())
        .select(memberships::role)
        .first(conn)
        .optional()
}
