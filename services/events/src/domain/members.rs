//! The copy of auth's users, groups and memberships: kept from auth's events
//! (the `events.members` consumer), completed by a fetch from auth when a
//! caller's memberships are not known yet, and read for every rule that
//! depends on groups (who writes an event, who is prioritized).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use common::consumer::HandlerError;
use common::outbox::Envelope;
use common::{db, ApiError, AuthUser, Infra};
use contracts::auth::{GroupChanged, MembershipChanged, UserRegistered, UserUpdated};
use contracts::{AuthEvent, Contract, Event};
use diesel::PgConnection;
use serde::Deserialize;
use uuid::Uuid;

use super::permissions::MemberOf;
use super::priority::{is_prioritized, PriorityInput};
use super::{engine, publish};
use crate::db::models::GroupRow;
use crate::db::{members, registrations, strikes};
use crate::state::EventsState;

/// The events this copy follows.
pub const EVENTS: &[&str] = &[
    UserRegistered::TYPE,
    UserUpdated::TYPE,
    MembershipChanged::TYPE,
    GroupChanged::TYPE,
];

/// Account statuses whose upcoming registrations end.
const GONE: &[&str] = &["deactivated", "declined"];

/// Applies one of auth's events to the copy (in the consumer's transaction).
pub fn apply(conn: &mut PgConnection, event: &Envelope) -> Result<(), HandlerError> {
    let at = event.occurred_at;
    match event.parse()? {
        Event::Auth(AuthEvent::UserRegistered(UserRegistered(user))) => {
            members::upsert_user(
                conn,
                user.user_id,
                &user.username,
                &user.full_name,
                &user.status,
                at,
                true,
            )?;
        }
        Event::Auth(AuthEvent::UserUpdated(UserUpdated(user))) => {
            let changed = members::upsert_user(
                conn,
                user.user_id,
                &user.username,
                &user.full_name,
                &user.status,
                at,
                false,
            )?;
            if changed > 0 && GONE.contains(&user.status.as_str()) {
                end_upcoming_registrations(conn, user.user_id, Utc::now()).map_err(refused)?;
            }
        }
        Event::Auth(AuthEvent::MembershipChanged(MembershipChanged(m))) => {
            let group = GroupRow {
                id: m.group_id,
                slug: m.group_slug.clone(),
                name: m.group_name.clone(),
                kind: m.group_kind.clone(),
                deleted: false,
            };
            members::upsert_group(conn, &group, at)?;
            let role = if m.change == "left" {
                None
            } else {
                m.role.as_deref()
            };
            if members::upsert_membership(conn, m.user_id, m.group_id, role, at)? > 0 {
                recompute_priority(conn, m.user_id, Utc::now()).map_err(refused)?;
            }
        }
        Event::Auth(AuthEvent::GroupChanged(GroupChanged(g))) => {
            let group = GroupRow {
                id: g.group_id,
                slug: g.slug.clone(),
                name: g.name.clone(),
                kind: g.kind.clone(),
                deleted: g.deleted,
            };
            if members::upsert_group(conn, &group, at)? > 0 && g.deleted {
                for user in members::end_memberships_of_group(conn, g.group_id, at)? {
                    recompute_priority(conn, user, Utc::now()).map_err(refused)?;
                }
            }
        }
        other => {
            return Err(HandlerError::refused(format!(
                "{} is not a user, group or membership event",
                other.event_type()
            )))
        }
    }
    Ok(())
}

fn refused(error: ApiError) -> HandlerError {
    HandlerError::refused(error.to_string())
}

/// Recomputes the stored priority of the user's registrations for events
/// that have not started, under each event's lock (their memberships or
/// strikes changed).
pub fn recompute_priority(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let groups: Vec<Uuid> = members::current_memberships(conn, user_id)?
        .into_iter()
        .map(|m| m.group_id)
        .collect();
    let points = strikes::active_points(conn, user_id, now)?;
    for (event_id, registration_id) in registrations::upcoming_of_user(conn, user_id, now)? {
        let event = engine::lock(conn, event_id)?;
        let Some(registration) = registrations::find(conn, event_id, user_id)? else {
            continue;
        };
        let prioritized = is_prioritized(PriorityInput {
            pools: &event.pools(),
            groups: &groups,
            added_by_organizer: registration.added_by_organizer,
            enforces_previous_strikes: event.enforces_previous_strikes,
            active_points: points,
        });
        if prioritized != registration.prioritized {
            registrations::set_prioritized(conn, registration_id, prioritized)?;
        }
    }
    Ok(())
}

/// Ends the user's registrations for events that have not started (the
/// account was deactivated), giving their places to the waiting lists.
fn end_upcoming_registrations(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    for (event_id, _) in registrations::upcoming_of_user(conn, user_id, now)? {
        let mut event = engine::lock(conn, event_id)?;
        if let Some(registration) = registrations::find(conn, event_id, user_id)? {
            engine::unregister(
                conn,
                &mut event,
                &registration,
                publish::ACCOUNT_DEACTIVATED,
                now,
            )?;
        }
    }
    Ok(())
}

/// What auth says the caller may do (the part this service reads).
#[derive(Deserialize)]
struct Permissions {
    groups: Vec<GroupPermission>,
}

#[derive(Deserialize)]
struct GroupPermission {
    group_id: Uuid,
    slug: String,
    name: String,
    kind: String,
    role: String,
}

/// The caller's current memberships: from the copy, or (when it does not
/// know them yet) fetched from auth with the caller's own token and kept.
pub async fn of_caller(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
) -> Result<Vec<MemberOf>, ApiError> {
    let user_id = caller.id;
    if let Some(known) = db::run(&infra.pool, move |conn| {
        Ok(members::memberships_if_known(conn, user_id)?)
    })
    .await?
    {
        return Ok(known);
    }
    let fetched_at = Utc::now();
    let response = state
        .http
        .get(format!("{}/v1/me/permissions", state.settings.auth_url))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| unavailable(&e.to_string()))?;
    if !response.status().is_success() {
        return Err(unavailable(&format!("auth answered {}", response.status())));
    }
    let permissions: Permissions = response
        .json()
        .await
        .map_err(|e| unavailable(&e.to_string()))?;
    let username = caller.username.clone();
    infra
        .transaction(move |conn| {
            let mut kept = Vec::new();
            for g in &permissions.groups {
                let group = GroupRow {
                    id: g.group_id,
                    slug: g.slug.clone(),
                    name: g.name.clone(),
                    kind: g.kind.clone(),
                    deleted: false,
                };
                members::upsert_group(conn, &group, fetched_at)?;
                members::upsert_membership(conn, user_id, g.group_id, Some(&g.role), fetched_at)?;
                kept.push(g.group_id);
            }
            members::end_memberships_not_in(conn, user_id, &kept, fetched_at)?;
            members::mark_memberships_known(conn, user_id, &username, fetched_at)?;
            Ok(members::current_memberships(conn, user_id)?)
        })
        .await
}

fn unavailable(why: &str) -> ApiError {
    tracing::warn!(error = why, "could not fetch memberships from auth");
    ApiError::unavailable("cannot check your group memberships right now; try again shortly")
}

/// A group as auth's `GET /v1/groups/{slug}` returns it.
#[derive(Deserialize)]
struct AuthGroup {
    id: Uuid,
    slug: String,
    name: String,
    kind: String,
}

/// Resolves group slugs to groups: from the copy, fetching the ones it does
/// not have from auth (with the caller's token, so private groups stay
/// private). 422 on `field` naming the slugs that are no group.
pub async fn groups_by_slug(
    infra: &Infra,
    state: &EventsState,
    token: &str,
    slugs: Vec<String>,
    field: &'static str,
) -> Result<HashMap<String, GroupRow>, ApiError> {
    let wanted = slugs.clone();
    let mut found: HashMap<String, GroupRow> = db::run(&infra.pool, move |conn| {
        Ok(members::groups_by_slug(conn, &wanted)?)
    })
    .await?
    .into_iter()
    .map(|g| (g.slug.clone(), g))
    .collect();
    let mut unknown = Vec::new();
    for slug in slugs {
        if found.contains_key(&slug) || unknown.contains(&slug) {
            continue;
        }
        match fetch_group(state, token, &slug).await? {
            Some(group) => {
                let row = group.clone();
                db::run(&infra.pool, move |conn| {
                    Ok(members::upsert_group(conn, &row, Utc::now())?)
                })
                .await?;
                found.insert(slug, group);
            }
            None => unknown.push(slug),
        }
    }
    if !unknown.is_empty() {
        return Err(ApiError::field(
            field,
            format!("no group with slug {}", unknown.join(", ")),
        ));
    }
    Ok(found)
}

async fn fetch_group(
    state: &EventsState,
    token: &str,
    slug: &str,
) -> Result<Option<GroupRow>, ApiError> {
    let valid_slug = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid_slug {
        return Ok(None);
    }
    let response = state
        .http
        .get(format!("{}/v1/groups/{slug}", state.settings.auth_url))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| unavailable(&e.to_string()))?;
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !response.status().is_success() {
        return Err(unavailable(&format!("auth answered {}", response.status())));
    }
    let group: AuthGroup = response
        .json()
        .await
        .map_err(|e| unavailable(&e.to_string()))?;
    Ok(Some(GroupRow {
        id: group.id,
        slug: group.slug,
        name: group.name,
        kind: group.kind,
        deleted: false,
    }))
}
