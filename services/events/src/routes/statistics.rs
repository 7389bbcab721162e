//! An event's figures for its organizers: places, attendance, who comes from
//! which groups and study programmes, allergies, declined photo consent.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use common::{db, ApiError, Infra};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::EventWriter;
use crate::db::models::PRIVATE_KIND;
use crate::db::{registrations, statistics};
use crate::domain::privacy;
use crate::state::EventsState;

/// Group kinds counted as study programmes; private groups are never shown.
const STUDY: &str = "study";

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupCount {
    pub slug: String,
    pub name: String,
    /// Confirmed participants who are members.
    pub confirmed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Allergy {
    pub user_id: Uuid,
    pub username: String,
    pub allergies: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Statistics {
    pub confirmed: i64,
    pub waiting: i64,
    /// Confirmed participants checked in.
    pub attended: i64,
    /// Confirmed participants not checked in, once the event has ended
    /// (`null` before).
    pub no_shows: Option<i64>,
    /// Confirmed participants per group (committees, boards, ...), largest first.
    pub by_group: Vec<GroupCount>,
    /// Confirmed participants per study programme group.
    pub by_study_programme: Vec<GroupCount>,
    /// Confirmed participants who told of allergies.
    pub allergies: Vec<Allergy>,
    /// Usernames of confirmed participants who have not consented to photos.
    pub photo_consent_declined: Vec<String>,
    /// `allergies` and `photo_consent_declined` list the participants on the
    /// event by their own choice, from when registration closes until 14 days
    /// after the event ends; empty outside that window.
    pub health_data_from: Option<DateTime<Utc>>,
    pub health_data_until: Option<DateTime<Utc>>,
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 200, body = Statistics), (status = 401), (status = 403), (status = 404)))]
#[get("/v1/events/{id}/statistics")]
pub async fn event_statistics(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    EventWriter { event, .. }: EventWriter,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let event_id = id.into_inner();
    let now = state.settings.clock.now();
    let ended = event.ends_at <= now;
    let health_data = privacy::health_data_window(&event);
    let shows_health_data = privacy::shows_health_data(&event, now);
    let figures = db::run(&infra.pool, move |conn| {
        let (confirmed, waiting) = registrations::counts(conn, event_id)?;
        let attended = registrations::of_event(conn, event_id)?
            .iter()
            .filter(|r| r.is_confirmed() && r.attended_at.is_some())
            .count() as i64;
        let (mut by_group, mut by_study_programme) = (vec![], vec![]);
        for (slug, name, kind, count) in statistics::by_group(conn, event_id)? {
            let entry = GroupCount {
                slug,
                name,
                confirmed: count,
            };
            match kind.as_str() {
                STUDY => by_study_programme.push(entry),
                PRIVATE_KIND => {}
                _ => by_group.push(entry),
            }
        }
        let mut allergies = vec![];
        let mut photo_consent_declined = vec![];
        let sharing = if shows_health_data {
            statistics::participants_by_own_choice(conn, event_id)?
        } else {
            vec![]
        };
        for (user_id, username, allergy, consent) in sharing {
            if consent != Some(true) {
                photo_consent_declined.push(username.clone());
            }
            if let Some(allergy) = allergy.filter(|a| !a.trim().is_empty()) {
                allergies.push(Allergy {
                    user_id,
                    username,
                    allergies: allergy,
                });
            }
        }
        Ok(Statistics {
            confirmed,
            waiting,
            attended,
            no_shows: ended.then_some(confirmed - attended),
            by_group,
            by_study_programme,
            allergies,
            photo_consent_declined,
            health_data_from: health_data.map(|(from, _)| from),
            health_data_until: health_data.map(|(_, until)| until),
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(figures))
}
