//! My registration for an event: register, look, leave.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use common::outbox::Envelope;
use common::{db, ApiError, AuthUser, Infra};
use contracts::events::RegistrationConfirmed;
use uuid::Uuid;

use super::caller;
use super::views::{self, RegistrationView};
use crate::db::{events, members, quick_registration, registrations};
use crate::domain::priority::{is_prioritized, PriorityInput};
use crate::domain::refusal::Refusal;
use crate::domain::rules::{self, Leaving};
use crate::domain::{engine, members as projection, publish, strikes as strike_rules};
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
    let view = register_caller(&req, &infra, &state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Registers the caller by the ordinary rules and gates (the stampede's
/// common case in one statement): registering, or accepting an invitation.
pub(super) async fn register_caller(
    req: &HttpRequest,
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    event_id: Uuid,
) -> Result<RegistrationView, ApiError> {
    caller.require_user()?;
    let now = Utc::now();
    // Presses before the opening are answered from memory.
    let opening = match state.openings.get(event_id) {
        Some(opening) => opening,
        None => {
            let opening = db::run(&infra.pool, move |conn| {
                events::opening(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))
            })
            .await?;
            state.openings.remember(event_id, opening.clone());
            opening
        }
    };
    rules::not_before_opening(opening.opens_at, now)?;
    let user_id = caller.id;
    let facts = db::run(&infra.pool, move |conn| {
        Ok(members::facts(conn, user_id, event_id, now)?)
    })
    .await?;
    if !facts.accepts_event_rules {
        return Err(Refusal::AcceptsEventRules.into());
    }
    if facts.survey_unanswered {
        return Err(Refusal::SurveyUnanswered.into());
    }
    if opening.enforces_previous_strikes {
        if let Some(title) = facts.evaluation_due {
            return Err(Refusal::EvaluationDue {
                title,
                days: i64::from(members::EVALUATION_DAYS),
            }
            .into());
        }
    }
    let groups: Vec<Uuid> = if facts.known {
        facts.groups
    } else {
        caller::memberships(infra, state, caller, req)
            .await?
            .into_iter()
            .map(|m| m.group_id)
            .collect()
    };
    let points = facts.active_points;
    let prioritized = is_prioritized(PriorityInput {
        pools: &opening.pools,
        groups: &groups,
        added_by_organizer: false,
        enforces_previous_strikes: opening.enforces_previous_strikes,
        active_points: points,
    });
    let username = caller.username.clone();
    // The stampede's common case in one statement; anything else (a refusal,
    // a swap, already registered) goes the general way, which says why.
    let quick = infra
        .write_publishing(move |conn| {
            Ok(quick_registration::register(
                conn,
                event_id,
                user_id,
                prioritized,
                rules::strike_delay(points).num_seconds(),
                now,
                &Envelope::skeleton::<RegistrationConfirmed>(),
                &opening,
            )?)
        })
        .await?;
    if let Some(quick) = quick {
        count_sign_up(infra, &quick.status);
        return Ok(RegistrationView {
            id: quick.id,
            event_id,
            user_id,
            username,
            status: quick.status,
            position: quick.position,
            prioritized,
            reason: quick.reason,
            added_by_organizer: false,
            registered_at: quick.registered_at,
            attended_at: None,
            allergies: None,
            offer_expires_at: None,
            check_in_code: Some(quick.check_in_code),
        });
    }
    let view = infra
        .transaction(move |conn| {
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
            Ok(views::own_registration(conn, registration, username)?)
        })
        .await?;
    count_sign_up(infra, &view.status);
    Ok(view)
}

/// `business_events_total`: every sign-up, and those that had to wait.
fn count_sign_up(infra: &Infra, status: &str) {
    infra.metrics.count("event_signups");
    if status == crate::db::models::WAITLISTED {
        infra.metrics.count("event_signups_waiting");
    }
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
        Ok(views::own_registration(conn, registration, username)?)
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
            engine::unregister(conn, &mut event, &registration, publish::BY_SELF, now)?;
            Ok(struck)
        })
        .await?;
    infra.metrics.count("event_signoffs");
    if struck {
        infra
            .transaction(move |conn| projection::recompute_priority(conn, user_id, Utc::now()))
            .await?;
    }
    Ok(HttpResponse::NoContent().finish())
}
