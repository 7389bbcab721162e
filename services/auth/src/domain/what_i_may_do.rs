//! What a person may do on the platform, for clients to build menus. Rules
//! shared with the services that enforce them come from `common::rules`.

use common::{db, ApiError, Infra};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::groups;
use crate::db::models::LEADER;

/// What the caller may do, for clients to build menus.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Permissions {
    pub user_id: uuid::Uuid,
    pub roles: Vec<String>,
    pub is_admin: bool,
    /// Platform-wide abilities, e.g. `users.manage`, `groups.create`, `messages.moderate`.
    pub can: Vec<String>,
    pub groups: Vec<GroupPermissions>,
    /// Why the account can use the microblog only (`weak_password`,
    /// `awaiting_approval`); empty for a full account.
    pub limits: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupPermissions {
    pub group_id: Uuid,
    pub slug: String,
    pub name: String,
    /// The group's kind (`board`, `committee`, ...).
    pub kind: String,
    pub role: String,
    pub can_manage_members: bool,
}

/// The abilities of `user_id`, from their roles and current memberships.
pub async fn of(infra: &Infra, user_id: Uuid) -> Result<Permissions, ApiError> {
    let (user, memberships) = db::run(&infra.pool, move |conn| {
        Ok((
            crate::db::users::find(conn, user_id)?,
            groups::memberships_of(conn, user_id)?,
        ))
    })
    .await?;
    let is_admin = user.roles.iter().any(|r| r == common::auth_user::ADMIN);
    let is_moderator = is_admin || user.roles.iter().any(|r| r == "moderator");
    let limits = user.limits();
    if !limits.is_empty() {
        // An account the microblog made: the microblog only, until lifted.
        return Ok(Permissions {
            user_id,
            roles: user.roles,
            is_admin: false,
            can: vec!["messages.post".to_owned()],
            groups: vec![],
            limits,
        });
    }
    let mut can = vec![
        "profile.edit".to_owned(),
        "messages.post".to_owned(),
        "events.register".to_owned(),
    ];
    if is_moderator {
        can.push("messages.moderate".into());
    }
    if is_admin {
        can.extend(
            [
                "users.manage",
                "users.export",
                "groups.create",
                "groups.manage",
                "clients.manage",
                "news.write",
            ]
            .map(String::from),
        );
    } else if common::rules::writes_news(&memberships.iter().map(|m| m.claim()).collect::<Vec<_>>())
    {
        can.push("news.write".into());
    }
    let groups = memberships
        .into_iter()
        .map(|m| GroupPermissions {
            can_manage_members: is_admin || m.role == LEADER,
            group_id: m.group_id,
            slug: m.slug,
            name: m.name,
            kind: m.kind,
            role: m.role,
        })
        .collect();
    Ok(Permissions {
        user_id,
        roles: user.roles,
        is_admin,
        can,
        groups,
        limits,
    })
}
