//! My registration for an event: register, look, leave.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use common::{db, ApiError, AuthUser, Infra};
use uuid::Uuid;

use super::caller;
use super::views::{self, RegistrationView};
use crate::db::{events, registrations, settings, strikes};
use crate::domain::priority::{is_prioritized, PriorityInput};
use crate::domain::rules::{self, Leaving};
use crate::domain::{engine, members, publish, strikes as strike_rules};
use crate::state::EventsState;

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 201, body = RegistrationView, description = "registered: confirmed or on the waiting list"),
              (status = 400, description = "the event rules are not accepted"),
              (status = 401), (status = 403, description = "a registration rule refuses (the detail names it)"),
              (status = 404), (status = 409, description = "already registered")))]
#[post("/v1/events/{id}/registrations")]
pub async fn register(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let event_id = id.into_inner();
    let now = Utc::now();
    // Presses before the opening are answered from memory.
    let opens = match state.openings.get(event_id) {
        Some(opens) => opens,
        None => {
            let opens = db::run(&infra.pool, move |conn| {
                events::opening(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))
            })
            .await?;
            state.openings.remember(event_id, opens);
            opens
        }
    };
    rules::not_before_opening(opens, now)?;
    let groups: Vec<Uuid> = caller::memberships(&infra, &state, &caller, &req)
        .await?
        .into_iter()
        .map(|m| m.group_id)
        .collect();
    let (user_id, username) = (caller.id, caller.username.clone());
    let view = infra
        .transaction(move |conn| {
            if !settings::of(conn, user_id)?.accepts_event_rules {
                return Err(ApiError::bad_request(
                    "accepts_event_rules: accept the event rules first \
                     (PATCH /v1/me/event-settings with {\"accepts_event_rules\": true})",
                ));
            }
            let points = strikes::active_points(conn, user_id, now)?;
            let mut event = engine::lock(conn, event_id)?;
            let prioritized = is_prioritized(PriorityInput {
                pools: &event.pools(),
                groups: &groups,
                added_by_organizer: false,
                enforces_previous_strikes: event.enforces_previous_strikes,
                active_points: points,
            });
            rules::may_register(&event, now, points, prioritized)?;
            let registration = engine::register(conn, &mut event, user_id, prioritized, false)?;
            Ok(views::registration(conn, registration, username)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 200, body = RegistrationView), (status = 401),
              (status = 404, description = "not registered")))]
#[get("/v1/events/{id}/registrations/me")]
pub async fn my_registration(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let (event_id, user_id, username) = (id.into_inner(), caller.id, caller.username.clone());
    let view = db::run(&infra.pool, move |conn| {
        let registration = registrations::find(conn, event_id, user_id)?
            .ok_or_else(|| ApiError::not_found("you are not registered for this event"))?;
        Ok(views::registration(conn, registration, username)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 204, description = "left; after the sign-off deadline with a past_deadline strike where the event gives strikes"),
              (status = 401), (status = 403, description = "too late to leave"),
              (status = 404, description = "not registered")))]
#[delete("/v1/events/{id}/registrations/me")]
pub async fn leave(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let (event_id, user_id) = (id.into_inner(), caller.id);
    let zone = state.settings.time_zone;
    let struck = infra
        .transaction(move |conn| {
            let now = Utc::now();
            let mut event = engine::lock(conn, event_id)?;
            let registration = registrations::find(conn, event_id, user_id)?
                .ok_or_else(|| ApiError::not_found("you are not registered for this event"))?;
            let mut struck = false;
            if registration.is_confirmed()
                && rules::may_leave_place(&event, now)? == Leaving::WithStrike
            {
                struck = strike_rules::give(
                    conn,
                    strike_rules::Given {
                        user_id,
                        kind: strike_rules::PAST_DEADLINE,
                        description: "left after the sign-off deadline",
                        event: Some(&event),
                        given_by: None,
                        now,
                        zone,
                    },
                )?
                .is_some();
            }
            engine::unregister(conn, &mut event, &registration, publish::BY_SELF)?;
            Ok(struck)
        })
        .await?;
    if struck {
        infra
            .transaction(move |conn| members::recompute_priority(conn, user_id, Utc::now()))
            .await?;
    }
    Ok(HttpResponse::NoContent().finish())
}
