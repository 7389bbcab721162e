//! Events the auth service publishes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::contract;

/// The public facts about an account, as carried by user events.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct User {
    pub user_id: Uuid,
    /// As typed; unique ignoring case.
    pub username: String,
    pub email: String,
    /// May be empty.
    pub full_name: String,
    /// `active`, `pending`, `declined` or `deactivated`.
    pub status: String,
    /// Platform roles (`admin`, `moderator`, ...).
    pub roles: Vec<String>,
    /// Changes whenever the account's sessions everywhere must end (password
    /// changed or reset, account deactivated or declined).
    #[serde(default)]
    pub security_stamp: Uuid,
}

contract!(
    /// An account was created (self-registration, an administrator, a
    /// provisioning API client or `auth create-admin`).
    UserRegistered,
    "auth.user.registered",
    1,
    User
);

contract!(
    /// An account's profile, status or roles changed; the values after the change.
    UserUpdated,
    "auth.user.updated",
    1,
    User
);

/// Someone asked to reset the password of an active account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PasswordReset {
    pub user_id: Uuid,
    pub username: String,
    /// Where to send the link.
    pub email: String,
    /// Single-use link to choose a new password: a secret.
    pub reset_url: String,
    pub expires_at: DateTime<Utc>,
}

contract!(
    /// A password reset link to mail (a secret: never stored by consumers).
    PasswordResetRequested,
    "auth.password_reset_requested",
    1,
    PasswordReset
);

/// Someone joined or left a group, or their role in it changed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Membership {
    pub group_id: Uuid,
    pub group_slug: String,
    pub group_name: String,
    /// The group's kind (`board`, `committee`, ...); it decides rights elsewhere.
    #[serde(default)]
    pub group_kind: String,
    /// Whose membership changed.
    pub user_id: Uuid,
    /// `joined`, `role_changed` or `left`.
    pub change: String,
    /// `leader` or `member`; `None` after `left`.
    pub role: Option<String>,
    /// `None` after `joined`.
    pub previous_role: Option<String>,
    /// Who made the change.
    pub actor_id: Uuid,
}

contract!(
    /// A membership started, ended or changed role.
    MembershipChanged,
    "auth.membership.changed",
    1,
    Membership
);

/// A group as other services need it: its identity, name and kind.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Group {
    pub group_id: Uuid,
    /// Never changes.
    pub slug: String,
    pub name: String,
    /// `board`, `committee`, `subgroup`, `interest_group`, `study`, `other` or `private`.
    pub kind: String,
    /// The group was deleted (its memberships ended with it).
    pub deleted: bool,
}

contract!(
    /// A group was created, renamed, changed kind or was deleted; the values after the change.
    GroupChanged,
    "auth.group.changed",
    1,
    Group
);

/// Someone asked to change an account's email address.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EmailChange {
    pub user_id: Uuid,
    pub username: String,
    /// The address in use until the change is confirmed (told of the request).
    pub old_email: String,
    /// Where the confirmation link goes.
    pub new_email: String,
    /// Single-use link that makes the change: a secret.
    pub confirm_url: String,
    pub expires_at: DateTime<Utc>,
}

contract!(
    /// An email change to confirm from the new address (a secret: never stored by consumers).
    EmailChangeRequested,
    "auth.email_change_requested",
    1,
    EmailChange
);
