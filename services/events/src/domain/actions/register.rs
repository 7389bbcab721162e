//! A person registers themselves (or accepts an invitation, which is the
//! same): the gates first, then the stampede's common case in one
//! statement, or the general way that says why not.

use chrono::{DateTime, Utc};
use common::outbox::Envelope;
use common::{db, ApiError, AuthUser, Infra};
use contracts::events::RegistrationConfirmed;
use uuid::Uuid;

use crate::db::{events, members, quick_registration};
use crate::domain::priority::{is_prioritized, PriorityInput};
use crate::domain::refusal::Refusal;
use crate::domain::{engine, members as projection, rules};
use crate::state::EventsState;
use crate::views::{self, RegistrationView};

/// Registers the caller by the ordinary rules and gates (the stampede's
/// common case in one statement): registering, or accepting an invitation.
pub async fn register(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegistrationView, ApiError> {
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
        projection::of_caller(infra, state, caller, token)
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

/// `caller`'s registration for `event_id` with its check-in code; 404 when
/// not registered.
pub async fn my_registration(
    infra: &Infra,
    caller: &AuthUser,
    event_id: Uuid,
) -> Result<RegistrationView, ApiError> {
    let (user_id, username) = (caller.id, caller.username.clone());
    db::run(&infra.pool, move |conn| {
        let registration = crate::db::registrations::find(conn, event_id, user_id)?
            .ok_or_else(|| ApiError::not_found("you are not registered for this event"))?;
        Ok(views::own_registration(conn, registration, username)?)
    })
    .await
}
