//! Invitations: what an organizer's add of another person is
//! (`domain::invitations`). The person sees theirs, accepts (registered by
//! the ordinary rules) or declines; organizers see and withdraw the open ones.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::{ApiError, AuthUser, Infra};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{self, EventWriter};
use crate::domain::actions::accept_invitation::accept_invitation;
use crate::domain::actions::invitations;
use crate::domain::invitations::Sent;
use crate::state::EventsState;
use crate::views::{MyInvitations, OpenInvitations, RegistrationView};

/// An invitation sent: the person holds no place until they accept it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentInvitation {
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    /// Always `invited`.
    pub status: &'static str,
    /// When registration closes: the invitation ends then.
    pub expires_at: DateTime<Utc>,
}

impl From<Sent> for SentInvitation {
    fn from(sent: Sent) -> Self {
        Self {
            event_id: sent.event_id,
            user_id: sent.user_id,
            username: sent.username,
            status: "invited",
            expires_at: sent.expires_at,
        }
    }
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 200, body = MyInvitations, description = "my open invitations, soonest event first"),
              (status = 401)))]
#[get("/v1/me/invitations")]
pub async fn my_invitations(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let now = state.settings.clock.now();
    let items = invitations::mine(&infra, caller.id, now).await?;
    Ok(HttpResponse::Ok().json(MyInvitations { items }))
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 201, body = RegistrationView, description = "registered by the ordinary rules: a place or the waiting list"),
              (status = 400, description = "a registration gate (event rules, survey, evaluation)"),
              (status = 401), (status = 403, description = "a registration rule refuses (the detail names it)"),
              (status = 404, description = "no open invitation (declined, expired or never sent)"),
              (status = 409, description = "already registered")))]
#[post("/v1/me/invitations/{event_id}/accept")]
pub async fn accept(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    event_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let now = state.settings.clock.now();
    let token = caller::token(&req);
    let view =
        accept_invitation(&infra, &state, &caller, &token, event_id.into_inner(), now).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 204, description = "declined: nothing is kept"),
              (status = 401),
              (status = 404, description = "no open invitation (declined, expired or never sent)")))]
#[post("/v1/me/invitations/{event_id}/decline")]
pub async fn decline(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    event_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let now = state.settings.clock.now();
    invitations::decline(&infra, caller.id, event_id.into_inner(), now).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 200, body = OpenInvitations, description = "the open invitations, oldest first"),
              (status = 401), (status = 403), (status = 404)))]
#[get("/v1/events/{id}/invitations")]
pub async fn event_invitations(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let now = state.settings.clock.now();
    let items = invitations::open_of_event(&infra, id.into_inner(), now).await?;
    Ok(HttpResponse::Ok().json(OpenInvitations { items }))
}

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 204, description = "withdrawn"),
              (status = 401), (status = 403),
              (status = 404, description = "no such event, or no invitation for that person")))]
#[delete("/v1/events/{id}/invitations/{user_id}")]
pub async fn withdraw(
    infra: web::Data<Infra>,
    _writer: EventWriter,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, user_id) = path.into_inner();
    invitations::withdraw(&infra, event_id, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
