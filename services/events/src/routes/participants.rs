//! Who is going: the public participant list. Logged-in members who share
//! their own registrations (`public_registrations`) see the confirmed
//! participants who share theirs; everyone else is counted, not named.

use actix_web::{get, web, HttpResponse};
use common::{ApiError, AuthUser, Infra};
use uuid::Uuid;

use crate::domain::actions::participants;
use crate::views::Participants;

#[utoipa::path(tag = "registrations", security(("bearer" = [])),
    responses((status = 200, body = Participants), (status = 401), (status = 404)))]
#[get("/v1/events/{id}/participants")]
pub async fn public_participants(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let view = participants::public_participants(&infra, caller.id, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(view))
}
