//! Password reset: request a single-use link by email, then confirm with it.

use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use common::{ApiError, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::password_reset;
use crate::state::AuthState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetRequest {
    pub email: String,
}

#[utoipa::path(tag = "accounts", request_body = ResetRequest,
    responses((status = 202, description = "always, whether or not the address has an account; at most 3 links per address and hour are sent")))]
#[post("/v1/password-reset")]
pub async fn request_reset(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    body: common::Json<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = body.into_inner().email.trim().to_owned();
    let accepted = HttpResponse::Accepted().json(serde_json::json!({
        "detail": "if an account uses this address, a reset link is on its way"
    }));
    password_reset::request(&infra, &state, email, Utc::now()).await?;
    Ok(accepted)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetConfirm {
    #[schema(format = Password, min_length = 1)]
    pub token: String,
    /// At least 8 characters (at most 1,024 bytes).
    #[schema(format = Password, min_length = 8, max_length = 256)]
    pub new_password: String,
}

#[utoipa::path(tag = "accounts", request_body = ResetConfirm,
    responses((status = 204, description = "password changed; all sessions logged out"),
              (status = 400, description = "link invalid, used or expired"), (status = 422)))]
#[post("/v1/password-reset/confirm")]
pub async fn confirm_reset(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    body: common::Json<ResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let ResetConfirm {
        token,
        new_password,
    } = body.into_inner();
    password_reset::confirm(&infra, &state, token, new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}
