//! Invitations: what an organizer's add of another person is
//! (`domain::invitations`). The person sees theirs, accepts (registered by
//! the ordinary rules) or declines; organizers see and withdraw the open ones.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::{db, ApiError, AuthUser, Infra};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{self, EventWriter};
use super::views::RegistrationView;
use crate::db::invitations as queries;
use crate::domain::actions::accept_invitation::accept_invitation;
use crate::domain::invitations::{self, Sent};
use crate::state::EventsState;

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

/// One of my open invitations.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyInvitation {
    pub event_id: Uuid,
    pub event_title: String,
    pub event_starts_at: DateTime<Utc>,
    pub event_location: String,
    /// The inviting organizer's username (empty if unknown).
    pub invited_by: String,
    pub invited_at: DateTime<Utc>,
    /// When registration closes: accept before then.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyInvitations {
    pub items: Vec<MyInvitation>,
}

/// An open invitation to an event, for its organizers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenInvitation {
    pub user_id: Uuid,
    pub username: String,
    pub invited_by: Uuid,
    pub invited_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenInvitations {
    pub items: Vec<OpenInvitation>,
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
    let (user_id, now) = (caller.id, state.settings.clock.now());
    let rows = db::run(&infra.pool, move |conn| {
        Ok(queries::open_of_user(conn, user_id, now)?)
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|i| MyInvitation {
            event_id: i.event_id,
            event_title: i.event_title,
            event_starts_at: i.event_starts_at,
            event_location: i.event_location,
            invited_by: i.invited_by.unwrap_or_default(),
            invited_at: i.invited_at,
            expires_at: i.expires_at,
        })
        .collect();
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
    let (event_id, user_id, now) = (event_id.into_inner(), caller.id, state.settings.clock.now());
    db::run(&infra.pool, move |conn| {
        invitations::decline(conn, event_id, user_id, now)
    })
    .await?;
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
    let event_id = id.into_inner();
    let now = state.settings.clock.now();
    let rows = db::run(&infra.pool, move |conn| {
        Ok(queries::open_of_event(conn, event_id, now)?)
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|i| OpenInvitation {
            user_id: i.user_id,
            username: i.username.unwrap_or_default(),
            invited_by: i.invited_by,
            invited_at: i.invited_at,
        })
        .collect();
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
    db::run(&infra.pool, move |conn| {
        invitations::withdraw(conn, event_id, user_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
