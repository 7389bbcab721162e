//! Notifications for auth's events.

use contracts::auth::{Membership, PasswordReset, User};
use contracts::AuthEvent;
use serde_json::json;

use super::Planned;
use crate::domain::kinds::{GROUP_MEMBERSHIP, PASSWORD_RESET, WELCOME};
use crate::domain::templates::MailContext;

pub(super) fn plan(ctx: &MailContext, event: &AuthEvent, data: &serde_json::Value) -> Vec<Planned> {
    match event {
        AuthEvent::UserRegistered(user) => vec![welcome(ctx, user, data)],
        AuthEvent::UserUpdated(_) | AuthEvent::GroupChanged(_) => Vec::new(),
        AuthEvent::PasswordResetRequested(reset) => vec![password_reset(ctx, reset)],
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
