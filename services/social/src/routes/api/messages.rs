//! Posting, reading and deleting one message (rules in domain::messages).

use actix_web::{delete, get, post, web, HttpResponse};
use common::auth_user::{AuthUser, MaybeAuthUser};
use common::{ApiError, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use super::views::Message;
use crate::domain::{lookup, messages};
use crate::state::SocialState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMessage {
    /// 1 to 1,000 characters, not only whitespace.
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub text: String,
}

#[utoipa::path(tag = "messages", request_body = NewMessage,
    security(("bearer" = [])),
    responses((status = 201, body = Message), (status = 401), (status = 422)))]
#[post("/v1/messages")]
pub async fn post_message(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: AuthUser,
    body: common::Json<NewMessage>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let NewMessage { text } = body.into_inner();
    messages::check_text(&text)?;
    lookup::ensure_caller(&infra, &state, &caller).await?;
    let message = messages::post_and_show(&infra, caller.id, text).await?;
    Ok(HttpResponse::Created().json(Message::from(message)))
}

#[utoipa::path(tag = "messages",
    responses((status = 200, body = Message), (status = 404)))]
#[get("/v1/messages/{id}")]
pub async fn get_message(
    infra: web::Data<Infra>,
    caller: MaybeAuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let message = messages::visible(&infra, caller.0.as_ref(), id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Message::from(message)))
}

#[utoipa::path(tag = "messages",
    security(("bearer" = [])),
    responses((status = 204), (status = 403, description = "not your message"), (status = 404)))]
#[delete("/v1/messages/{id}")]
pub async fn delete_message(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    messages::delete(&infra, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
