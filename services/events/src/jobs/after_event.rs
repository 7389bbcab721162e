//! After an event, at 12:00 the day after it ends: a `no_show` strike for
//! each confirmed participant not checked in who is on the event by their
//! own choice (never for an administrator's placement), where the event can cause
//! strikes and the organizers took attendance (someone is checked in, or
//! they marked attendance as taken); otherwise the organizers are told that
//! no strikes were given and why. Waiting-list entries never get one. Where
//! the event has an evaluation, its attendees are asked to answer it. Once
//! per event.

use chrono::{DateTime, NaiveDate, Utc};
use common::ApiError;
use contracts::events::{AttendanceMissing, AttendanceNotTaken, Evaluation, EvaluationRequested};
use uuid::Uuid;

use super::{minus_days, start_of_day, JobContext};
use crate::db::models::{EventRow, RegistrationRow};
use crate::db::{due, events, forms, job_runs, members, registrations, strikes};
use crate::domain::forms::EVALUATION;
use crate::domain::priority::NEVER_PRIORITIZED_FROM_POINTS;
use crate::domain::{members as projection, permissions, strikes as strike_rules};

/// How many days back an event missed while every instance was down is
/// still wound up.
pub const CATCH_UP_DAYS: u64 = 7;

pub const NO_SHOW: &str = "no_show";
pub const NOT_TAKEN: &str = "no check-in was recorded and attendance was not marked as taken, \
     so nobody got a no-show strike";

/// Winds up every event that ended before local `day` began (within the
/// catch-up window); how many events were wound up.
pub async fn run(ctx: &JobContext, day: NaiveDate, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let (from, until) = (
        start_of_day(minus_days(day, CATCH_UP_DAYS), ctx.zone),
        start_of_day(day, ctx.zone),
    );
    let due = common::db::run(&ctx.infra.pool, move |conn| {
        Ok(due::ended(conn, from, until)?)
    })
    .await?;
    let mut wound_up = 0;
    for event_id in due {
        let (instance, zone) = (ctx.instance.clone(), ctx.zone);
        let struck = ctx
            .infra
            .transaction(move |conn| {
                let Some(event) = events::find(conn, event_id)? else {
                    return Ok(None);
                };
                if event.ends_at >= until
                    || !job_runs::claim(
                        conn,
                        job_runs::AFTER_EVENT,
                        event_id,
                        job_runs::once(),
                        &instance,
                    )?
                {
                    return Ok(None);
                }
                wind_up(conn, &event, now, zone).map(Some)
            })
            .await?;
        let Some(struck) = struck else { continue };
        wound_up += 1;
        if !struck.is_empty() {
            lose_priority(ctx, struck, now).await?;
        }
    }
    Ok(wound_up)
}

/// The strikes or the organizers' notice for one event; who was struck.
fn wind_up(
    conn: &mut diesel::PgConnection,
    event: &EventRow,
    now: DateTime<Utc>,
    zone: chrono_tz::Tz,
) -> Result<Vec<Uuid>, ApiError> {
    let participants: Vec<_> = registrations::of_event(conn, event.id)?
        .into_iter()
        .filter(|r| r.is_confirmed())
        .collect();
    let taken =
        event.attendance_taken_at.is_some() || participants.iter().any(|r| r.attended_at.is_some());
    invite_to_evaluate(conn, event, &participants, taken)?;
    if !event.can_cause_strikes || participants.is_empty() {
        return Ok(vec![]);
    }
    if !taken {
        let organizer = members::groups_by_id(conn, &[event.organizer_id])?.pop();
        let recipient_ids = match organizer {
            Some(group) => permissions::organizers(
                &group,
                &members::roles_in(conn, group.id)?,
                event.contact_person_id,
            ),
            None => event.contact_person_id.into_iter().collect(),
        };
        if !recipient_ids.is_empty() {
            common::outbox::publish(
                conn,
                &AttendanceNotTaken(AttendanceMissing {
                    event_id: event.id,
                    event_title: event.title.clone(),
                    event_ends_at: event.ends_at,
                    participants: participants.len() as i64,
                    reason: NOT_TAKEN.to_owned(),
                    recipient_ids,
                }),
            )?;
        }
        return Ok(vec![]);
    }
    let mut struck = vec![];
    let absent = participants
        .iter()
        .filter(|r| r.attended_at.is_none() && r.by_own_choice());
    for absent in absent {
        let given = strike_rules::give(
            conn,
            strike_rules::Given {
                user_id: absent.user_id,
                kind: NO_SHOW,
                description: "did not come: not checked in",
                event: Some(event),
                given_by: None,
                now,
                zone,
            },
        )?;
        if given.is_some() {
            struck.push(absent.user_id);
        }
    }
    Ok(struck)
}

/// Where the event has an evaluation, its attendees are asked to answer it:
/// those checked in, or every participant where attendance was not taken.
fn invite_to_evaluate(
    conn: &mut diesel::PgConnection,
    event: &EventRow,
    participants: &[RegistrationRow],
    taken: bool,
) -> Result<(), ApiError> {
    let Some(form) = forms::of_event(conn, event.id, EVALUATION)? else {
        return Ok(());
    };
    let recipient_ids: Vec<Uuid> = participants
        .iter()
        .filter(|r| !taken || r.attended_at.is_some())
        .map(|r| r.user_id)
        .collect();
    if recipient_ids.is_empty() {
        return Ok(());
    }
    common::outbox::publish(
        conn,
        &EvaluationRequested(Evaluation {
            event_id: event.id,
            event_title: event.title.clone(),
            form_id: form.id,
            form_title: form.title,
            recipient_ids,
        }),
    )?;
    Ok(())
}

/// Those the strikes took to the points that end priority lose it on their
/// open registrations.
async fn lose_priority(
    ctx: &JobContext,
    struck: Vec<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let losing = common::db::run(&ctx.infra.pool, move |conn| {
        Ok(strikes::with_points_from(
            conn,
            &struck,
            NEVER_PRIORITIZED_FROM_POINTS,
            now,
        )?)
    })
    .await?;
    for user_id in losing {
        ctx.infra
            .transaction(move |conn| projection::recompute_priority(conn, user_id, now))
            .await?;
    }
    Ok(())
}
