//! Rows as stored, and what the API shows of them.

use chrono::{DateTime, Utc};
use common::list::CsvRow;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::schema::{api_clients, groups, memberships, users};

/// Account states.
pub mod status {
    pub const ACTIVE: &str = "active";
    /// Waiting for an administrator's approval.
    pub const PENDING: &str = "pending";
    pub const DECLINED: &str = "declined";
    pub const DEACTIVATED: &str = "deactivated";
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub full_name: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub roles: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// False for an account the microblog made with a password below the
    /// platform's policy, until a compliant one is set.
    pub password_meets_policy: bool,
    /// False for an account the microblog made while approval is on, until
    /// an administrator approves it.
    pub approved: bool,
    /// Changes whenever the account's sessions everywhere must end.
    pub security_stamp: Uuid,
}

impl User {
    /// Why the account may use the microblog only (empty: everywhere).
    pub fn limits(&self) -> Vec<String> {
        use common::auth_user::limits;
        let mut found = Vec::new();
        if !self.password_meets_policy {
            found.push(limits::WEAK_PASSWORD.to_owned());
        }
        if !self.approved {
            found.push(limits::AWAITING_APPROVAL.to_owned());
        }
        found
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: Uuid,
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub full_name: &'a str,
    pub status: &'a str,
    pub roles: Vec<String>,
    pub password_meets_policy: bool,
    pub approved: bool,
}

/// A user as the API shows it: never a password hash.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub full_name: String,
    /// active, pending (waiting for approval), declined or deactivated.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    pub roles: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Why the account can use the microblog only: `weak_password` (set a
    /// compliant password), `awaiting_approval`. Empty for a full account.
    pub limits: Vec<String>,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        let limits = user.limits();
        Self {
            limits,
            id: user.id,
            username: user.username,
            email: user.email,
            full_name: user.full_name,
            status: user.status,
            status_reason: user.status_reason,
            roles: user.roles,
            created_at: user.created_at,
            last_login_at: user.last_login_at,
        }
    }
}

impl CsvRow for UserView {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "username",
            "email",
            "full_name",
            "status",
            "roles",
            "created_at",
            "last_login_at",
        ]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.username.clone(),
            self.email.clone(),
            self.full_name.clone(),
            self.status.clone(),
            self.roles.join(" "),
            self.created_at.to_rfc3339(),
            self.last_login_at
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
        ]
    }
}

/// Kinds of group.
pub const GROUP_KINDS: &[&str] = &[
    "board",
    "committee",
    "subgroup",
    "interest_group",
    "study",
    "other",
    "private",
];
/// The group kind whose existence and members only members and admins see.
pub const PRIVATE: &str = "private";
pub const LEADER: &str = "leader";
pub const MEMBER: &str = "member";

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize, Deserialize, ToSchema)]
#[diesel(table_name = groups)]
pub struct Group {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// board, committee, subgroup, interest_group, study, other or private.
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CsvRow for Group {
    fn csv_header() -> &'static [&'static str] {
        &["id", "slug", "name", "kind", "description", "created_at"]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.slug.clone(),
            self.name.clone(),
            self.kind.clone(),
            self.description.clone(),
            self.created_at.to_rfc3339(),
        ]
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub id: Uuid,
    pub group_id: Uuid,
    pub user_id: Uuid,
    pub role: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// A membership with the member's name, as lists show it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    pub user_id: Uuid,
    pub username: String,
    /// leader or member.
    pub role: String,
    pub started_at: DateTime<Utc>,
    /// Set for past memberships.
    pub ended_at: Option<DateTime<Utc>>,
}

impl CsvRow for MemberView {
    fn csv_header() -> &'static [&'static str] {
        &["user_id", "username", "role", "started_at", "ended_at"]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.user_id.to_string(),
            self.username.clone(),
            self.role.clone(),
            self.started_at.to_rfc3339(),
            self.ended_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ]
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClient {
    pub id: Uuid,
    pub name: String,
    pub secret_hash: Vec<u8>,
    pub scopes: Vec<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An API client as listed: never its secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiClientView {
    pub id: Uuid,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiClient> for ApiClientView {
    fn from(c: ApiClient) -> Self {
        Self {
            id: c.id,
            name: c.name,
            scopes: c.scopes,
            created_at: c.created_at,
            last_used_at: c.last_used_at,
            revoked_at: c.revoked_at,
        }
    }
}

impl CsvRow for ApiClientView {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "scopes",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.scopes.join(" "),
            self.created_at.to_rfc3339(),
            self.last_used_at
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
            self.revoked_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ]
    }
}
