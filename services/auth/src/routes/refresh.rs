//! POST /v1/refresh and POST /v1/logout: refresh-token rotation and revocation.

use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use common::{db, ApiError, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::db::models::status;
use crate::db::{tokens, users};
use crate::domain::refusal::Refusal;
use crate::domain::secret;
use crate::domain::session::{self, TokenPair};
use crate::state::AuthState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// Secret (`format: password`): any text is accepted, an unknown one refused.
    #[schema(format = Password)]
    pub refresh_token: String,
}

enum Outcome {
    Rotated(TokenPair),
    Rejected(Refusal),
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
    let hash = secret::digest(body.refresh_token.trim());
    let state = state.into_inner();
    // Rejections still commit: a reused token must revoke its family for good.
    let outcome = db::transaction(&infra.pool, move |conn| {
        let Some(token) = tokens::find_refresh_for_update(conn, &hash)? else {
            return Ok(Outcome::Rejected(Refusal::RefreshInvalid));
        };
        if token.revoked_at.is_some() {
            return Ok(Outcome::Rejected(Refusal::SessionEnded));
        }
        if token.used_at.is_some() {
            tokens::revoke_family(conn, token.family_id)?;
            tracing::warn!(user_id = %token.user_id, "refresh token reused; session revoked");
            return Ok(Outcome::Rejected(Refusal::RefreshReused));
        }
        if token.expires_at <= Utc::now() {
            return Ok(Outcome::Rejected(Refusal::RefreshExpired));
        }
        let user = users::find(conn, token.user_id)?;
        if user.status != status::ACTIVE {
            tokens::revoke_family(conn, token.family_id)?;
            return Ok(Outcome::Rejected(Refusal::AccountInactive));
        }
        tokens::mark_used(conn, token.id)?;
        session::issue(conn, &state, &user, Some(token.family_id)).map(Outcome::Rotated)
    })
    .await?;
    match outcome {
        Outcome::Rotated(pair) => Ok(HttpResponse::Ok().json(pair)),
        Outcome::Rejected(why) => Err(why.into()),
    }
}

#[utoipa::path(tag = "sessions", request_body = RefreshRequest,
    responses((status = 204, description = "the session is revoked (also when it already was)")))]
#[post("/v1/logout")]
pub async fn logout(
    infra: web::Data<Infra>,
    body: common::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let hash = secret::digest(body.refresh_token.trim());
    db::transaction(&infra.pool, move |conn| {
        if let Some(token) = tokens::find_refresh_for_update(conn, &hash)? {
            tokens::revoke_family(conn, token.family_id)?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
