//! Events auth publishes through the outbox (catalogue: docs/events.md).

use chrono::{DateTime, Utc};
use common::ApiError;
use diesel::PgConnection;
use serde::Serialize;
use uuid::Uuid;

use crate::db::models::User;

pub const PRODUCER: &str = "auth";
pub const USER_REGISTERED: &str = "auth.user.registered";
pub const USER_UPDATED: &str = "auth.user.updated";
pub const PASSWORD_RESET_REQUESTED: &str = "auth.password_reset_requested";
pub const MEMBERSHIP_CHANGED: &str = "auth.membership.changed";

/// The public facts about a user carried by user events.
#[derive(Debug, Serialize)]
pub struct UserData<'a> {
    pub user_id: Uuid,
    pub username: &'a str,
    pub email: &'a str,
    pub full_name: &'a str,
    pub status: &'a str,
    pub roles: &'a [String],
}

impl<'a> From<&'a User> for UserData<'a> {
    fn from(user: &'a User) -> Self {
        Self {
            user_id: user.id,
            username: &user.username,
            email: &user.email,
            full_name: &user.full_name,
            status: &user.status,
            roles: &user.roles,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PasswordResetData<'a> {
    pub user_id: Uuid,
    pub username: &'a str,
    pub email: &'a str,
    /// Single-use link to choose a new password.
    pub reset_url: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
pub struct MembershipData<'a> {
    pub group_id: Uuid,
    pub group_slug: &'a str,
    pub group_name: &'a str,
    pub user_id: Uuid,
    /// joined, role_changed or left.
    pub change: &'a str,
    /// The role now; absent after leaving.
    pub role: Option<&'a str>,
    pub previous_role: Option<&'a str>,
    /// Who made the change.
    pub actor_id: Uuid,
}

pub fn publish<T: Serialize>(
    conn: &mut PgConnection,
    event_type: &str,
    data: &T,
) -> Result<Uuid, ApiError> {
    common::outbox::enqueue(conn, PRODUCER, event_type, 1, data)
}
