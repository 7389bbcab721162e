//! Posting, reading and deleting one message.

use actix_web::{web, HttpResponse};
use common::auth_user::{AuthUser, MaybeAuthUser};
use common::{db, ApiError, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use super::views::Message;
use crate::db::messages::{self, Author};
use crate::domain::{events, lookup, permissions};
use crate::state::SocialState;

/// Longest message of the JSON API and web pages.
pub const MAX_TEXT: usize = 1000;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMessage {
    /// 1 to 1,000 characters, not only whitespace.
    pub text: String,
}

/// Checks a message's text: not blank, at most [`MAX_TEXT`] characters.
pub fn check_text(text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::field("text", "write something first"));
    }
    if text.contains('\0') {
        return Err(ApiError::field("text", common::error::NUL_REFUSED));
    }
    let length = text.chars().count();
    if length > MAX_TEXT {
        return Err(ApiError::field(
            "text",
            format!("at most {MAX_TEXT} characters ({length} given)"),
        ));
    }
    Ok(())
}

/// Stores a message by `author` with its `social.message.posted` event; returns its id.
pub async fn post_as(infra: &Infra, author: Author, text: String) -> Result<i64, ApiError> {
    let envelope = events::message_posted();
    let id = db::run(&infra.pool, move |conn| {
        Ok(messages::post_as(conn, &author, &text, &envelope, None)?)
    })
    .await?
    .ok_or_else(|| ApiError::forbidden("your account is not known to the platform any more"))?;
    infra.outbox.wake();
    infra.metrics.count("messages_posted");
    Ok(id)
}

#[utoipa::path(post, path = "/v1/messages", tag = "messages", request_body = NewMessage,
    security(("bearer" = [])),
    responses((status = 201, body = Message), (status = 401), (status = 422)))]
pub async fn post_message(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: AuthUser,
    body: web::Json<NewMessage>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let NewMessage { text } = body.into_inner();
    check_text(&text)?;
    lookup::ensure_caller(&infra, &state, &caller).await?;
    let id = post_as(&infra, Author::Id(caller.id), text).await?;
    let message = db::run(&infra.pool, move |conn| Ok(messages::find(conn, id)?))
        .await?
        .ok_or_else(|| ApiError::internal("a message vanished right after it was posted"))?;
    Ok(HttpResponse::Created().json(Message::from(message)))
}

/// The message, if the caller may see it: flagged ones only for their author
/// and moderators.
async fn visible(
    infra: &Infra,
    caller: Option<&AuthUser>,
    id: i64,
) -> Result<messages::Shown, ApiError> {
    let message = db::run(&infra.pool, move |conn| Ok(messages::find(conn, id)?)).await?;
    match message {
        Some(m)
            if !m.flagged
                || caller.is_some_and(|c| c.id == m.author_id || permissions::can_moderate(c)) =>
        {
            Ok(m)
        }
        _ => Err(ApiError::not_found(format!("no message {id}"))),
    }
}

#[utoipa::path(get, path = "/v1/messages/{id}", tag = "messages",
    responses((status = 200, body = Message), (status = 404)))]
pub async fn get_message(
    infra: web::Data<Infra>,
    caller: MaybeAuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let message = visible(&infra, caller.0.as_ref(), id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Message::from(message)))
}

#[utoipa::path(delete, path = "/v1/messages/{id}", tag = "messages",
    security(("bearer" = [])),
    responses((status = 204), (status = 403, description = "not your message"), (status = 404)))]
pub async fn delete_message(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let message = visible(&infra, Some(&caller), id).await?;
    if message.author_id != caller.id && !caller.is_admin() {
        return Err(ApiError::forbidden("you may only delete your own messages"));
    }
    db::run(&infra.pool, move |conn| Ok(messages::delete(conn, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
