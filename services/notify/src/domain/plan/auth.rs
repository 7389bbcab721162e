//! Notifications for auth's events.

use contracts::auth::{EmailChange, Membership, PasswordReset, User};
use contracts::AuthEvent;
use serde_json::json;

use super::Planned;
use crate::domain::kinds::{
    EMAIL_CHANGE, EMAIL_CHANGE_NOTICE, GROUP_MEMBERSHIP, PASSWORD_RESET, WELCOME,
};
use crate::domain::templates::MailContext;

pub(super) fn plan(ctx: &MailContext, event: &AuthEvent, data: &serde_json::Value) -> Vec<Planned> {
    match event {
        AuthEvent::UserRegistered(user) => vec![welcome(ctx, user, data)],
        AuthEvent::UserUpdated(_) | AuthEvent::GroupChanged(_) => Vec::new(),
        AuthEvent::PasswordResetRequested(reset) => vec![password_reset(ctx, reset)],
        AuthEvent::EmailChangeRequested(change) => email_change(change),
        AuthEvent::MembershipChanged(membership) => vec![membership_changed(ctx, membership, data)],
    }
}

fn welcome(ctx: &MailContext, user: &User, data: &serde_json::Value) -> Planned {
    let body = if user.status == "pending" {
        "Your account is waiting for an administrator's approval; we will let you know."
    } else {
        "Your account is ready. Sign in to follow people, join events and more."
    };
    Planned {
        user_id: user.user_id,
        kind: WELCOME,
        title: format!("Welcome to {}, {}!", ctx.platform_name, user.username),
        body: body.to_owned(),
        link: Some(format!("{}/login", ctx.public_url)),
        data: data.clone(),
        email_to: Some(user.email.clone()),
    }
}

fn password_reset(_ctx: &MailContext, reset: &PasswordReset) -> Planned {
    Planned {
        user_id: reset.user_id,
        kind: PASSWORD_RESET,
        title: "Reset your password".to_owned(),
        body: format!(
            "Someone (hopefully you, {}) asked to reset your password. The link below works once, until {}. \
             If it was not you, ignore this mail: your password stays as it is.",
            reset.username,
            reset.expires_at.format("%Y-%m-%d %H:%M UTC")
        ),
        link: Some(reset.reset_url.clone()),
        // The link is a secret: keep it out of the stored data.
        data: json!({"expires_at": reset.expires_at}),
        email_to: Some(reset.email.clone()),
    }
}

/// The link to the new address, and a notice to the old one (whose owner
/// should act if it was not them).
fn email_change(change: &EmailChange) -> Vec<Planned> {
    let until = change.expires_at.format("%Y-%m-%d %H:%M UTC");
    vec![
        Planned {
            user_id: change.user_id,
            kind: EMAIL_CHANGE,
            title: "Confirm your new email address".to_owned(),
            body: format!(
                "{}, follow the link below to use this address for your account. It works once, until {until}. \
                 If you did not ask for this, ignore this mail.",
                change.username
            ),
            link: Some(change.confirm_url.clone()),
            // The link is a secret: keep it out of the stored data.
            data: json!({"expires_at": change.expires_at}),
            email_to: Some(change.new_email.clone()),
        },
        Planned {
            user_id: change.user_id,
            kind: EMAIL_CHANGE_NOTICE,
            title: "Your email address is about to change".to_owned(),
            body: format!(
                "Someone signed in as {} asked to move the account to {}. It changes only if the link sent \
                 there is followed before {until}. If this was not you, change your password now.",
                change.username, change.new_email
            ),
            link: None,
            data: json!({"new_email": change.new_email, "expires_at": change.expires_at}),
            email_to: Some(change.old_email.clone()),
        },
    ]
}

fn membership_changed(ctx: &MailContext, m: &Membership, data: &serde_json::Value) -> Planned {
    let role = m.role.as_deref().unwrap_or("member");
    let title = match m.change.as_str() {
        "joined" => format!("You joined {} as {role}", m.group_name),
        "role_changed" => format!("You are now {role} of {}", m.group_name),
        _ => format!("You left {}", m.group_name),
    };
    Planned {
        user_id: m.user_id,
        kind: GROUP_MEMBERSHIP,
        title,
        body: format!("Your membership of {} changed.", m.group_name),
        link: Some(format!("{}/groups/{}", ctx.public_url, m.group_slug)),
        data: data.clone(),
        email_to: None,
    }
}
