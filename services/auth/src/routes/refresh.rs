//! POST /v1/refresh and POST /v1/logout: refresh-token rotation and revocation.

use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use common::{ApiError, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::session::TokenPair;
use crate::domain::sessions;
use crate::state::AuthState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// Secret (`format: password`): any text is accepted, an unknown one refused.
    #[schema(format = Password)]
    pub refresh_token: String,
}

#[utoipa::path(tag = "sessions", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair),
              (status = 401, description = "unknown, expired or reused token (reuse revokes the session)")))]
#[post("/v1/refresh")]
pub async fn refresh(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    body: common::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let pair =
        sessions::refresh(&infra, state.into_inner(), &body.refresh_token, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(pair))
}

#[utoipa::path(tag = "sessions", request_body = RefreshRequest,
    responses((status = 204, description = "the session is revoked (also when it already was)")))]
#[post("/v1/logout")]
pub async fn logout(
    infra: web::Data<Infra>,
    body: common::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    sessions::logout(&infra, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}
