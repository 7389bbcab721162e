//! Group memberships: who is in a group, and joining, role changes and
//! leaving. Leaders and administrators manage (the handler checks); anyone
//! may leave. A group has one leader: making someone leader makes the
//! previous leader a member. Every change is published
//! (`auth.membership.changed`) and kept as history.

use common::list::ListRequest;
use common::{db, ApiError, Infra};
use contracts::auth::{Membership, MembershipChanged};
use diesel::PgConnection;
use uuid::Uuid;

use crate::db::models::{Group, MemberView, LEADER, MEMBER};
use crate::db::{groups, users};
use crate::domain::refusal::Refusal;

/// A role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Leader,
    Member,
}

impl Role {
    /// `leader` or `member`; 422 naming `role` otherwise.
    pub fn parse(name: &str) -> Result<Self, ApiError> {
        match name {
            LEADER => Ok(Self::Leader),
            MEMBER => Ok(Self::Member),
            _ => Err(ApiError::field("role", "must be leader or member")),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Leader => LEADER,
            Self::Member => MEMBER,
        }
    }
}

/// A page of `group`'s members (current, or past with `history`) and how
/// many there are.
pub async fn members_of(
    infra: &Infra,
    group: &Group,
    history: bool,
    list: ListRequest,
) -> Result<(Vec<MemberView>, i64), ApiError> {
    let group_id = group.id;
    db::run(&infra.pool, move |conn| {
        Ok(groups::members(conn, group_id, history, &list)?)
    })
    .await
}

/// `actor` adds `user_id` to `group` as `role`; 422 for an unknown user,
/// 409 `already_member`.
pub async fn add_member(
    infra: &Infra,
    group: Group,
    user_id: Uuid,
    role: Role,
    actor: Uuid,
) -> Result<(), ApiError> {
    infra
        .transaction(move |conn| {
            users::find(conn, user_id).map_err(|_| ApiError::field("user_id", "no such user"))?;
            if groups::open_membership(conn, group.id, user_id)?.is_some() {
                return Err(Refusal::AlreadyMember.into());
            }
            assign(conn, &group, user_id, role.name(), actor)
        })
        .await
}

/// `actor` gives member `user_id` of `group` the `role`; 404 when not a member.
pub async fn change_role(
    infra: &Infra,
    group: Group,
    user_id: Uuid,
    role: Role,
    actor: Uuid,
) -> Result<(), ApiError> {
    infra
        .transaction(move |conn| {
            if groups::open_membership(conn, group.id, user_id)?.is_none() {
                return Err(ApiError::not_found(
                    "that user is not a member of this group",
                ));
            }
            assign(conn, &group, user_id, role.name(), actor)
        })
        .await
}

/// `user_id` leaves `group` (by themselves, or removed by `actor`); 404
/// when not a member.
pub async fn remove_member(
    infra: &Infra,
    group: Group,
    user_id: Uuid,
    actor: Uuid,
) -> Result<(), ApiError> {
    infra
        .transaction(move |conn| leave(conn, &group, user_id, actor))
        .await
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
