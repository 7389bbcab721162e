//! An article's image: uploaded by whoever may edit the article, through the
//! image pipeline (`common::images`, docs/media.md), replacing (and deleting)
//! the one before.

use actix_multipart::Multipart;
use actix_web::{delete, post, web, HttpResponse};
use common::images::{self, ImageRecord, ImageUpload, ImageView};
use common::{db, ApiError, AuthUser, Infra};

use super::news::{load, require_editor};
use crate::db::news;
use crate::state::SocialState;

/// The files' folder kind in the store.
const KIND: &str = "news";

#[utoipa::path(tag = "news", security(("bearer" = [])),
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = ImageView, description = "stored: the re-encoded original and its display sizes; the one before is deleted"),
              (status = 400, description = "not a complete multipart/form-data body with one field file"),
              (status = 401), (status = 403), (status = 404),
              (status = 413, description = "larger than 20 MB"),
              (status = 415, description = "not JPEG, PNG, WebP or GIF (by its content)"),
              (status = 422, description = "no file, a broken image, or too many pixels"),
              (status = 503, description = "the file store is unavailable; nothing was changed")))]
#[post("/v1/news/{id}/image")]
pub async fn upload_image(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: AuthUser,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let article = load(&infra, id).await?;
    require_editor(&caller, &article)?;
    let record = images::upload(form, &state.images, &state.media, KIND).await?;
    let (json, url) = (record.to_json(), record.display_url());
    let replaced = db::run(&infra.pool, move |conn| {
        use diesel::Connection;
        conn.transaction(|conn| {
            let before = news::find_for_update(conn, id)?
                .ok_or_else(|| ApiError::not_found(format!("no news article {id}")))?;
            news::set_image(conn, id, Some(json), Some(url))?;
            Ok(before.image)
        })
    })
    .await;
    images::settle(&state.media, &record, replaced).await?;
    Ok(HttpResponse::Ok().json(record.view()))
}

#[utoipa::path(tag = "news", security(("bearer" = [])),
    responses((status = 204, description = "removed, and its files deleted"),
              (status = 401), (status = 403),
              (status = 404, description = "no such article, or it has no image")))]
#[delete("/v1/news/{id}/image")]
pub async fn delete_image(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let article = load(&infra, id).await?;
    require_editor(&caller, &article)?;
    let before = db::run(&infra.pool, move |conn| {
        use diesel::Connection;
        conn.transaction(|conn| {
            let article = news::find_for_update(conn, id)?
                .ok_or_else(|| ApiError::not_found(format!("no news article {id}")))?;
            let record = ImageRecord::from_json(article.image.as_ref())
                .ok_or_else(|| ApiError::not_found("this article has no image"))?;
            news::set_image(conn, id, None, None)?;
            Ok(record)
        })
    })
    .await?;
    images::delete_files(&state.media, &before).await;
    Ok(HttpResponse::NoContent().finish())
}
