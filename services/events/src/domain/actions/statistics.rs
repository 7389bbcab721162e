//! An event's figures for its organizers: places, attendance, who comes from
//! which groups and study programmes, allergies, declined photo consent.
//! Health data only within `domain::privacy`'s window, only of participants
//! on the event by their own choice; private groups never.

use chrono::{DateTime, Utc};
use common::{db, ApiError, Infra};

use crate::db::models::{EventRow, PRIVATE_KIND};
use crate::db::{registrations, statistics};
use crate::domain::privacy;
use crate::views::{Allergy, GroupCount, Statistics};

/// Group kinds counted as study programmes.
const STUDY: &str = "study";

/// The figures of `event` as they stand at `now`.
pub async fn event_statistics(
    infra: &Infra,
    event: EventRow,
    now: DateTime<Utc>,
) -> Result<Statistics, ApiError> {
    let event_id = event.id;
    let ended = event.ends_at <= now;
    let health_data = privacy::health_data_window(&event);
    let shows_health_data = privacy::shows_health_data(&event, now);
    db::run(&infra.pool, move |conn| {
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
    .await
}
