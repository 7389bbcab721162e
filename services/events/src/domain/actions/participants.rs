//! Who is going: the public participant list. Logged-in members who share
//! their own registrations (`public_registrations`) see the confirmed
//! participants who share theirs; everyone else is counted, not named.

use common::{db, ApiError, Infra};
use uuid::Uuid;

use crate::db::participants::confirmed_sharing;
use crate::db::{events, settings};
use crate::views::{Participant, Participants};

/// `event_id`'s confirmed participants as `viewer_id` may see them; 404
/// when no such event.
pub async fn public_participants(
    infra: &Infra,
    viewer_id: Uuid,
    event_id: Uuid,
) -> Result<Participants, ApiError> {
    db::run(&infra.pool, move |conn| {
        let event =
            events::find(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
        let confirmed = i64::from(event.confirmed_count);
        let shown: Vec<Participant> = if settings::of(conn, viewer_id)?.public_registrations {
            confirmed_sharing(conn, event_id)?
                .into_iter()
                .map(|(user_id, username, full_name)| Participant {
                    user_id,
                    username,
                    full_name,
                })
                .collect()
        } else {
            vec![]
        };
        Ok(Participants {
            hidden: confirmed - shown.len() as i64,
            confirmed,
            shown,
        })
    })
    .await
}
