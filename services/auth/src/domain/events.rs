//! auth's events, built from its rows as the payloads of `contracts::auth`
//! (catalogue: docs/events.md). Publish them with `common::outbox::publish`
//! inside the transaction of the change.

use contracts::auth::{User as UserPayload, UserRegistered, UserUpdated};

use crate::db::models::User;

/// The public facts about `user` that user events carry.
fn user_payload(user: &User) -> UserPayload {
    UserPayload {
        user_id: user.id,
        username: user.username.clone(),
        email: user.email.clone(),
        full_name: user.full_name.clone(),
        status: user.status.clone(),
        roles: user.roles.clone(),
        security_stamp: user.security_stamp,
    }
}

/// `auth.user.registered` for a new account.
pub fn registered(user: &User) -> UserRegistered {
    UserRegistered(user_payload(user))
}

/// `auth.user.updated` with `user` as it is after the change.
pub fn updated(user: &User) -> UserUpdated {
    UserUpdated(user_payload(user))
}
