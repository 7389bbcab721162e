//! Posting, reading and deleting one message: what the JSON API and the web
//! pages share.

use common::auth_user::AuthUser;
use common::{db, ApiError, Infra};

use crate::db::messages::{self, Author, Shown};
use crate::domain::{events, permissions};

/// Longest message of the JSON API and web pages.
pub const MAX_TEXT: usize = 1000;

/// Checks a message's text: not blank, no NUL, at most [`MAX_TEXT`] characters.
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
pub async fn post(infra: &Infra, author: Author, text: String) -> Result<i64, ApiError> {
    let envelope = events::message_posted();
    let id = infra
        .transaction(move |conn| Ok(messages::post_as(conn, &author, &text, &envelope, None)?))
        .await?
        .ok_or_else(|| ApiError::forbidden("your account is not known to the platform any more"))?;
    infra.metrics.count("messages_posted");
    Ok(id)
}

/// Posts as the caller and returns the message as stored.
pub async fn post_and_show(
    infra: &Infra,
    author_id: uuid::Uuid,
    text: String,
) -> Result<Shown, ApiError> {
    let id = post(infra, Author::Id(author_id), text).await?;
    db::run(&infra.pool, move |conn| Ok(messages::find(conn, id)?))
        .await?
        .ok_or_else(|| ApiError::internal("a message vanished right after it was posted"))
}

/// The message, if the caller may see it: flagged ones only for their author
/// and moderators.
pub async fn visible(infra: &Infra, caller: Option<&AuthUser>, id: i64) -> Result<Shown, ApiError> {
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

/// Deletes a message the caller wrote (or any, for administrators).
pub async fn delete(infra: &Infra, caller: &AuthUser, id: i64) -> Result<(), ApiError> {
    let message = visible(infra, Some(caller), id).await?;
    if message.author_id != caller.id && !caller.is_admin() {
        return Err(ApiError::forbidden("you may only delete your own messages"));
    }
    db::run(&infra.pool, move |conn| Ok(messages::delete(conn, id)?)).await?;
    Ok(())
}

/// Hides (`flagged`) or shows a message again; the caller is a moderator.
pub async fn set_flagged(
    infra: &Infra,
    moderator: &AuthUser,
    id: i64,
    flagged: bool,
) -> Result<(), ApiError> {
    let found = db::run(&infra.pool, move |conn| {
        Ok(messages::set_flagged(conn, id, flagged)?)
    })
    .await?;
    if !found {
        return Err(ApiError::not_found(format!("no message {id}")));
    }
    tracing::info!(message = id, flagged, moderator = %moderator.id, "message moderated");
    Ok(())
}
