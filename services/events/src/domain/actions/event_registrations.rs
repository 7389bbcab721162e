//! An event's registrations as its organizers see them: participants first,
//! then the waiting list in its order; health data only of those on the
//! event by their own choice, within `domain::privacy`'s window; never a
//! private group's members.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use common::list::ListRequest;
use common::{db, ApiError, Infra};
use uuid::Uuid;

use crate::db::models::{EventRow, RegistrationRow, CONFIRMED};
use crate::db::{members, registrations, settings};
use crate::domain::privacy;
use crate::domain::refusal::Refusal;
use crate::views::RegistrationView;

/// Which registrations to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// `confirmed`, `waitlisted` or `offered`.
    pub status: Option<String>,
    pub attended: Option<bool>,
    /// Members of this group (slug); 400 `private_group` for a private one.
    pub group: Option<String>,
    pub has_allergies: Option<bool>,
}

/// A page of `event`'s registrations by `filter` and `list`, and how many
/// match.
pub async fn registrations_of(
    infra: &Infra,
    event: EventRow,
    filter: Filter,
    list: ListRequest,
    now: DateTime<Utc>,
) -> Result<(Vec<RegistrationView>, i64), ApiError> {
    let shows_health_data = privacy::shows_health_data(&event, now);
    let event_id = event.id;
    db::run(&infra.pool, move |conn| {
        let rows = registrations::of_event(conn, event_id)?;
        let group_members: Option<Vec<Uuid>> = match &filter.group {
            Some(slug) => Some(
                match members::groups_by_slug(conn, std::slice::from_ref(slug))?.pop() {
                    // Filtering by a private group would show who is in it.
                    Some(group) if group.is_private() => {
                        return Err(Refusal::PrivateGroupFilter.into())
                    }
                    Some(group) => members::members_of(conn, group.id)?,
                    None => vec![],
                },
            ),
            None => None,
        };
        let ids: Vec<Uuid> = rows.iter().map(|r| r.user_id).collect();
        let names: HashMap<Uuid, String> = members::names(conn, &ids)?
            .into_iter()
            .map(|(id, username, _)| (id, username))
            .collect();
        // Health data only of those on the event by their own choice, and
        // only within the window (`domain::privacy`).
        let sharing: Vec<Uuid> = rows
            .iter()
            .filter(|r| shows_health_data && r.by_own_choice())
            .map(|r| r.user_id)
            .collect();
        let allergies: HashMap<Uuid, String> =
            settings::allergies(conn, &sharing)?.into_iter().collect();
        let sharing: HashSet<Uuid> = sharing.into_iter().collect();
        let mut items = ordered_views(rows, &names, &allergies, &sharing);
        items.retain(|r| {
            filter.status.as_ref().is_none_or(|s| &r.status == s)
                && filter.attended.is_none_or(|a| r.attended_at.is_some() == a)
                && filter.has_allergies.is_none_or(|a| {
                    r.allergies
                        .as_deref()
                        .is_some_and(|text| !text.trim().is_empty())
                        == a
                })
                && group_members
                    .as_ref()
                    .is_none_or(|m| m.contains(&r.user_id))
        });
        sort(&mut items, &list);
        let total = items.len() as i64;
        let page = items
            .into_iter()
            .skip(list.offset() as usize)
            .take(list.limit() as usize)
            .collect();
        Ok((page, total))
    })
    .await
}

/// Views with positions from the order itself: participants by registration
/// time, then the waiting list in its order.
fn ordered_views(
    mut rows: Vec<RegistrationRow>,
    names: &HashMap<Uuid, String>,
    allergies: &HashMap<Uuid, String>,
    sharing: &HashSet<Uuid>,
) -> Vec<RegistrationView> {
    rows.sort_by_key(|r| {
        (
            !r.holds_place(),
            !r.prioritized || r.holds_place(),
            r.registered_at,
            r.id,
        )
    });
    let mut waiting = 0;
    rows.into_iter()
        .map(|r| {
            let position = (!r.holds_place()).then(|| {
                waiting += 1;
                waiting
            });
            RegistrationView {
                id: r.id,
                event_id: r.event_id,
                user_id: r.user_id,
                username: names.get(&r.user_id).cloned().unwrap_or_default(),
                status: r.status,
                position,
                prioritized: r.prioritized,
                reason: r.reason,
                added_by_organizer: r.added_by_organizer,
                registered_at: r.registered_at,
                attended_at: r.attended_at,
                allergies: sharing
                    .contains(&r.user_id)
                    .then(|| allergies.get(&r.user_id).cloned().unwrap_or_default()),
                offer_expires_at: r.offer_expires_at,
                check_in_code: None,
            }
        })
        .collect()
}

fn sort(items: &mut [RegistrationView], request: &ListRequest) {
    for key in request.sort.iter().rev() {
        match key.field {
            "registered_at" => items.sort_by_key(|r| r.registered_at),
            "username" => items.sort_by_key(|r| r.username.to_lowercase()),
            // The natural order: participants, then the waiting list in order.
            _ => items.sort_by_key(|r| (r.status != CONFIRMED, r.position)),
        }
        if key.descending {
            items.reverse();
        }
    }
}
