//! An event's figures for its organizers: places, attendance, who comes from
//! which groups and study programmes, allergies, declined photo consent.

use actix_web::{get, web, HttpResponse};
use common::{ApiError, Infra};
use uuid::Uuid;

use super::caller::EventWriter;
use crate::domain::actions::statistics;
use crate::state::EventsState;
use crate::views::Statistics;

#[utoipa::path(tag = "organizers", security(("bearer" = [])),
    responses((status = 200, body = Statistics), (status = 401), (status = 403), (status = 404)))]
#[get("/v1/events/{id}/statistics")]
pub async fn event_statistics(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    EventWriter { event, .. }: EventWriter,
    _id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let now = state.settings.clock.now();
    let figures = statistics::event_statistics(&infra, event, now).await?;
    Ok(HttpResponse::Ok().json(figures))
}
