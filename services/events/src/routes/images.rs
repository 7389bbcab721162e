//! An event's cover image: uploaded by whoever may edit the event, through
//! the image pipeline (`common::images`, docs/media.md), replacing (and
//! deleting) the one before.

use actix_multipart::Multipart;
use actix_web::{delete, post, web, HttpResponse};
use common::images::{self, ImageUpload, ImageView};
use common::{ApiError, Infra};
use uuid::Uuid;

use super::caller::EventWriter;
use crate::domain::actions::event_image;
use crate::state::EventsState;

/// The files' folder kind in the store.
const KIND: &str = "events";

#[utoipa::path(tag = "events", security(("bearer" = [])),
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = ImageView, description = "stored: the re-encoded original and its display sizes; the one before is deleted"),
              (status = 400, description = "not a complete multipart/form-data body with one field file"),
              (status = 401), (status = 403), (status = 404),
              (status = 413, description = "larger than 20 MB"),
              (status = 415, description = "not JPEG, PNG, WebP or GIF (by its content)"),
              (status = 422, description = "no file, a broken image, or too many pixels"),
              (status = 503, description = "the file store is unavailable; nothing was changed")))]
#[post("/v1/events/{id}/image")]
pub async fn upload_image(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let record = images::upload(form, &state.images, &state.media, KIND).await?;
    let view = event_image::set_image(&infra, &state, id.into_inner(), record).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "events", security(("bearer" = [])),
    responses((status = 204, description = "removed, and its files deleted"),
              (status = 401), (status = 403),
              (status = 404, description = "no such event, or it has no image")))]
#[delete("/v1/events/{id}/image")]
pub async fn delete_image(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    _writer: EventWriter,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    event_image::remove_image(&infra, &state, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
