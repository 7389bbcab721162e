//! Account changes after sign-up: status transitions and roles (by
//! administrators), profile and password (by the person). Each commits with
//! its `auth.user.updated` event.

use common::{db, ApiError, Infra};
use diesel::OptionalExtension;
use uuid::Uuid;

use crate::db::models::{status, User};
use crate::db::{tokens, users};
use crate::domain::accounts::ensure_free;
use crate::domain::events;
use crate::domain::refusal::Refusal;
use crate::state::AuthState;

/// Moves a user to `to` if their status is one of `from`, publishes the
/// change, and ends all their sessions unless the account is active.
/// An administrator (`actor`) cannot lock themselves out (409 `self_lockout`).
pub async fn transition(
    infra: &Infra,
    actor: Uuid,
    id: Uuid,
    from: &'static [&'static str],
    to: &'static str,
    reason: Option<String>,
) -> Result<User, ApiError> {
    if actor == id && to != status::ACTIVE {
        return Err(Refusal::SelfLockout.into());
    }
    infra
        .transaction(move |conn| {
            let current = users::find(conn, id)
                .optional()?
                .ok_or_else(|| ApiError::not_found(format!("no user {id}")))?;
            // Activating an active account the microblog made while approval
            // is on approves it.
            let approving = to == status::ACTIVE && !current.approved;
            if !from.contains(&current.status.as_str()) && !approving {
                return Err(Refusal::CannotBecome {
                    from: current.status,
                    to: to.to_owned(),
                }
                .into());
            }
            let user = users::set_status(conn, id, to, reason)?;
            if to != status::ACTIVE {
                tokens::revoke_user_sessions(conn, id, None)?;
            }
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(user)
        })
        .await
}

/// Replaces a user's platform roles (already checked) and publishes the change.
/// The platform roles.
pub const ROLES: &[&str] = &["admin", "moderator", "strike_manager"];

/// An administrator (`actor`) gives user `id` the `roles` (422 for an
/// unknown role, or for taking away their own admin role).
pub async fn set_roles(
    infra: &Infra,
    actor: Uuid,
    id: Uuid,
    mut roles: Vec<String>,
) -> Result<User, ApiError> {
    roles.sort();
    roles.dedup();
    let mut v = common::Validator::new();
    for role in &roles {
        v.check(
            ROLES.contains(&role.as_str()),
            "roles",
            format!("unknown role {role:?}; roles are {}", ROLES.join(", ")),
        );
    }
    v.check(
        actor != id || roles.iter().any(|r| r == "admin"),
        "roles",
        "you cannot remove your own admin role",
    );
    v.finish()?;
    infra
        .transaction(move |conn| {
            let user = users::set_roles(conn, id, roles)?;
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(user)
        })
        .await
}

/// What a person may change of their own profile; `None` keeps the value.
pub struct ProfileChanges {
    pub username: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
}

/// Applies validated profile changes, refusing a name or address someone
/// else has, and publishes the change.
pub async fn update_profile(
    infra: &Infra,
    id: Uuid,
    changes: ProfileChanges,
) -> Result<User, ApiError> {
    infra
        .transaction(move |conn| {
            let current = users::find(conn, id)?;
            let username = changes.username.unwrap_or(current.username);
            let email = changes.email.unwrap_or(current.email);
            let full_name = changes.full_name.unwrap_or(current.full_name);
            ensure_free(conn, &username, &email, Some(id))?;
            let user = users::set_profile(conn, id, &username, &email, &full_name)?;
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(user)
        })
        .await
}

/// Changes a password after checking the current one; every session but
/// `keep` ends.
pub async fn change_password(
    infra: &Infra,
    state: &AuthState,
    id: Uuid,
    old_password: String,
    new_password: String,
    keep: Option<Uuid>,
) -> Result<(), ApiError> {
    let user = db::run(&infra.pool, move |conn| Ok(users::find(conn, id)?)).await?;
    if !state
        .hasher
        .verify_blocking(old_password, Some(user.password_hash))
        .await?
    {
        return Err(Refusal::WrongPassword.into());
    }
    let hash = state.hasher.hash_blocking(new_password).await?;
    infra
        .transaction(move |conn| {
            users::set_password(conn, id, &hash)?;
            tokens::revoke_user_sessions(conn, id, keep)?;
            // The new security stamp ends the account's sessions elsewhere.
            let user = users::find(conn, id)?;
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(())
        })
        .await
}

/// How long an email-change link works.
pub const EMAIL_LINK_VALIDITY: chrono::Duration = chrono::Duration::hours(24);

/// Asks to move the account to `new_email` after checking the current
/// password: nothing changes until the link mailed to the new address is
/// followed; the old address is told (`auth.email_change_requested`).
pub async fn request_email_change(
    infra: &Infra,
    state: &AuthState,
    id: Uuid,
    password: String,
    new_email: String,
) -> Result<(), ApiError> {
    let user = db::run(&infra.pool, move |conn| Ok(users::find(conn, id)?)).await?;
    if !state
        .hasher
        .verify_blocking(password, Some(user.password_hash.clone()))
        .await?
    {
        return Err(Refusal::WrongPassword.into());
    }
    let confirm_url = state.settings.email_confirm_url.clone();
    infra
        .transaction(move |conn| {
            crate::domain::accounts::ensure_free(conn, &user.username, &new_email, Some(id))?;
            let token = crate::domain::secret::generate()?;
            let expires_at = chrono::Utc::now() + EMAIL_LINK_VALIDITY;
            crate::db::email_changes::replace(
                conn,
                id,
                &new_email,
                &crate::domain::secret::digest(&token),
                expires_at,
            )?;
            common::outbox::publish(
                conn,
                &contracts::auth::EmailChangeRequested(contracts::auth::EmailChange {
                    user_id: id,
                    username: user.username.clone(),
                    old_email: user.email.clone(),
                    new_email: new_email.clone(),
                    confirm_url: format!("{confirm_url}?token={token}"),
                    expires_at,
                }),
            )?;
            Ok(())
        })
        .await
}

/// Makes the change a link stands for: `None` when the link is unknown,
/// used or expired. 409 when the address was taken in the meantime.
pub async fn confirm_email_change(infra: &Infra, token: String) -> Result<Option<User>, ApiError> {
    let digest = crate::domain::secret::digest(token.trim());
    infra
        .transaction(move |conn| {
            let Some((id, new_email)) = crate::db::email_changes::consume(conn, &digest)? else {
                return Ok(None);
            };
            let current = users::find(conn, id)?;
            crate::domain::accounts::ensure_free(conn, &current.username, &new_email, Some(id))?;
            let user =
                users::set_profile(conn, id, &current.username, &new_email, &current.full_name)?;
            common::outbox::publish(conn, &events::updated(&user))?;
            Ok(Some(user))
        })
        .await
}

/// A page of users by `filters` and `list`, and how many match.
pub async fn list_users(
    infra: &Infra,
    status: Option<String>,
    username: Option<String>,
    list: common::list::ListRequest,
) -> Result<(Vec<User>, i64), ApiError> {
    db::run(&infra.pool, move |conn| {
        let filters = users::Filters {
            status: status.as_deref(),
            username: username.as_deref(),
        };
        Ok(users::list(conn, &list, &filters)?)
    })
    .await
}

/// User `id`; 404 when none.
pub async fn get_user(infra: &Infra, id: Uuid) -> Result<User, ApiError> {
    db::run(&infra.pool, move |conn| {
        users::find(conn, id)
            .optional()?
            .ok_or_else(|| ApiError::not_found(format!("no user {id}")))
    })
    .await
}

/// An active account made by an administrator (the standard password
/// policy) or a provisioning client (any non-empty password; the account
/// keeps to the microblog until the password meets the policy and, where
/// approval is on, an administrator approved it).
pub async fn create_user(
    infra: &Infra,
    state: &AuthState,
    account: crate::domain::accounts::NewAccount,
    policy: crate::domain::validate::PasswordPolicy,
) -> Result<User, ApiError> {
    use crate::domain::accounts::{self, Standing};
    use crate::domain::validate::PasswordPolicy;
    let account = account.validated(policy)?;
    let standing = match policy {
        PasswordPolicy::Provisioned => {
            Standing::provisioned(&account.password, state.settings.require_approval)
        }
        PasswordPolicy::Standard => Standing::FULL,
    };
    let hash = state.hasher.hash_blocking(account.password.clone()).await?;
    let user = infra
        .transaction(move |conn| {
            accounts::create_with(conn, &account, &hash, status::ACTIVE, vec![], standing)
        })
        .await?;
    infra.metrics.count("user_registered");
    Ok(user)
}

/// What a person changes of their own account; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct MyChange {
    pub username: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
    /// Needed for a new email address.
    pub current_password: Option<String>,
}

/// Person `id` changes their account. A new address is a way into the
/// account (password resets go there): it needs the current password now
/// (400 `current_password_required`, 403 `wrong_password`) and takes effect
/// when the link mailed to it is followed; the answer names it as pending.
pub async fn change_mine(
    infra: &Infra,
    state: &AuthState,
    id: Uuid,
    change: MyChange,
) -> Result<(User, Option<String>), ApiError> {
    let MyChange {
        username,
        email,
        full_name,
        current_password,
    } = change;
    let email = email.map(|e| e.trim().to_owned());
    let full_name = full_name.map(|n| n.trim().to_owned());
    let mut v = common::Validator::new();
    if let Some(username) = &username {
        crate::domain::validate::username(&mut v, username);
    }
    if let Some(email) = &email {
        crate::domain::validate::email(&mut v, email);
    }
    if let Some(name) = &full_name {
        v.check(
            name.chars().count() <= 200,
            "full_name",
            "must be at most 200 characters",
        );
    }
    v.finish()?;
    let current = get_user(infra, id).await?;
    // A new address is a way into the account (password resets go there):
    // it needs the password now and the new mailbox's confirmation later.
    let new_email = email.filter(|e| !e.eq_ignore_ascii_case(&current.email));
    if let Some(new_email) = &new_email {
        let password = current_password.ok_or(Refusal::CurrentPasswordRequired)?;
        request_email_change(infra, state, id, password, new_email.clone()).await?;
    }
    let changes = ProfileChanges {
        username,
        email: None,
        full_name,
    };
    let user = update_profile(infra, id, changes).await?;
    Ok((user, new_email))
}
