//! What organizers (writers of an event) do with its registrations: list
//! them (and as CSV), add, remove, move between place and waiting list.
//! Check-in: `check_in.rs`.

use std::collections::{HashMap, HashSet};

use actix_web::{delete, get, patch, put, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{db, ApiError, Infra};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::caller::EventWriter;
use super::invitations::SentInvitation;
use super::views::RegistrationView;
use crate::db::models::{RegistrationRow, CONFIRMED, OFFERED, WAITLISTED};
use crate::db::{members, registrations, settings};
use crate::domain::actions::{self, move_registration::Destination};
use crate::domain::privacy;
use crate::domain::refusal::Refusal;
use crate::state::EventsState;

/// Sort fields of an event's registrations.
pub const SORT_FIELDS: &[&str] = &["status", "registered_at", "username"];

#[derive(Debug, Deserialize, IntoParams)]
pub struct RegistrationFilter {
    /// `confirmed`, `waitlisted` or `offered`.
    #[param(pattern = "^(confirmed|waitlisted|offered)$")]
    pub status: Option<String>,
    /// Only those checked in (true) or not (false).
    pub attended: Option<bool>,
    /// Only members of this group (slug; a private group is refused with 400).
    pub group: Option<String>,
    /// Only those who told of allergies (true) or not (false), among those
    /// whose allergies are shown.
    pub has_allergies: Option<bool>,
}

#[utoipa::path(tag = "organizers", params(ListParams, RegistrationFilter, ("sort" = Option<String>, Query, pattern = "^([-+]?(status|registered_at|username)(,[-+]?(status|registered_at|username))*)?$", description = "Comma-separated sort fields, `-` first for descending: status, registered_at, username.")), security(("bearer" = [])),
    responses((status = 200, description = "a page of registrations (CSV with format=csv); participants first, then the waiting list in order"),
              (status = 400), (status = 401), (status = 403), (status = 404)))]
#[get("/v1/events/{id}/registrations")]
pub async fn list_registrations(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    EventWriter { event, .. }: EventWriter,
    id: web::Path<Uuid>,
    params: web::Query<ListParams>,
    filter: web::Query<RegistrationFilter>,
) -> Result<HttpResponse, ApiError> {
    let event_id = id.into_inner();
    // Writers may export their event's registrations as CSV.
    let request = ListRequest::parse(params.into_inner(), SORT_FIELDS, "status", &req)?;
    let shows_health_data = privacy::shows_health_data(&event, state.settings.clock.now());
    let filter = filter.into_inner();
    if let Some(status) = &filter.status {
        if ![CONFIRMED, WAITLISTED, OFFERED].contains(&status.as_str()) {
            return Err(ApiError::bad_request(
                "status must be confirmed, waitlisted or offered",
            ));
        }
    }
    let list = request.clone();
    let (items, total) = db::run(&infra.pool, move |conn| {
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
    .await?;
    Ok(request.respond(items, total))
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

/// Adds someone to the event. An organizer's add is an invitation (202): it
/// holds no place until the person accepts it under `/v1/me/invitations`,
/// and expires when registration closes. An administrator places the person
/// directly (201, shown in their registrations as `added_by_organizer`); such
/// a placement never causes a strike and shows no health data.
#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 201, body = RegistrationView, description = "an administrator placed the person: a place, a priority swap or the waiting list"),
              (status = 202, body = SentInvitation, description = "an organizer invited the person, who holds no place until accepting"),
              (status = 401), (status = 403), (status = 404),
              (status = 409, description = "already registered, or registration has closed")))]
#[put("/v1/events/{id}/registrations/{user_id}")]
pub async fn add_registration(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    EventWriter { caller, .. }: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    let now = state.settings.clock.now();
    if !caller.is_admin() {
        let sent = actions::invite::invite(&infra, &caller, event_id, user_id, now).await?;
        return Ok(HttpResponse::Accepted().json(SentInvitation::from(sent)));
    }
    let view = actions::place::place(&infra, event_id, user_id, now).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 204, description = "removed without a strike; a freed place goes to the first waiter"),
              (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/events/{id}/registrations/{user_id}")]
pub async fn remove_registration(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    actions::remove::remove(&infra, event_id, user_id, state.settings.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Where an organizer moves a registration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// `confirmed` (a free place) or `waitlisted`.
    #[schema(pattern = "^(confirmed|waitlisted)$")]
    pub status: String,
}

#[utoipa::path(tag = "organizers", request_body = Move, security(("bearer" = [])),
    responses((status = 200, body = RegistrationView),
              (status = 401), (status = 403), (status = 404),
              (status = 409, description = "no free place, or nobody waiting to take the place"),
              (status = 422)))]
#[patch("/v1/events/{id}/registrations/{user_id}")]
pub async fn move_registration(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
    body: common::Json<Move>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    let to = Destination::from_status(&body.status)
        .ok_or_else(|| ApiError::field("status", "must be confirmed or waitlisted"))?;
    let now = state.settings.clock.now();
    let view =
        actions::move_registration::move_registration(&infra, event_id, user_id, to, now).await?;
    Ok(HttpResponse::Ok().json(view))
}
