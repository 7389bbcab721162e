//! Who is going: the public participant list. Logged-in members who share
//! their own registrations (`public_registrations`) see the confirmed
//! participants who share theirs; everyone else is counted, not named.

use actix_web::{get, web, HttpResponse};
use common::{db, ApiError, AuthUser, Infra};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::participants::confirmed_sharing;
use crate::db::{events, settings};

/// A participant who shares their registrations.
#[derive(Debug, Serialize, ToSchema)]
pub struct Participant {
    pub user_id: Uuid,
    pub username: String,
    pub full_name: String,
}

/// An event's confirmed participants as the caller may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Participants {
    /// Those who share their registrations, by registration time; empty
    /// unless the caller shares theirs.
    pub shown: Vec<Participant>,
    /// The other confirmed participants, counted.
    pub hidden: i64,
    /// All confirmed participants.
    pub confirmed: i64,
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 200, body = Participants), (status = 401), (status = 404)))]
#[get("/v1/events/{id}/participants")]
pub async fn public_participants(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let (event_id, user_id) = (id.into_inner(), caller.id);
    let view = db::run(&infra.pool, move |conn| {
        let event =
            events::find(conn, event_id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
        let confirmed = i64::from(event.confirmed_count);
        let shown: Vec<Participant> = if settings::of(conn, user_id)?.public_registrations {
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
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
