//! Password reset: request a single-use link by email, then confirm with it.

use actix_web::{post, web, HttpResponse};
use chrono::{Duration, Utc};
use common::{db, ApiError, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::db::models::status;
use crate::db::tokens;
use crate::domain::refusal::Refusal;
use crate::domain::validate;
use crate::domain::{secret, throttle};
use crate::state::AuthState;
use contracts::auth::{PasswordReset, PasswordResetRequested};

/// How long a reset link works.
const LINK_VALIDITY: Duration = Duration::hours(1);

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
    if !throttle::allow_reset(&state.redis, &email).await {
        tracing::info!("password reset requests for one address over the hourly limit; ignored");
        return Ok(accepted);
    }
    let reset_url = state.settings.reset_url.clone();
    infra
        .transaction(move |conn| {
            let Some(user) = crate::db::users::find_by_email(conn, &email)? else {
                return Ok(());
            };
            if user.status != status::ACTIVE {
                return Ok(());
            }
            let token = secret::generate()?;
            let expires_at = Utc::now() + LINK_VALIDITY;
            tokens::insert_reset(conn, user.id, &secret::digest(&token), expires_at)?;
            common::outbox::publish(
                conn,
                &PasswordResetRequested(PasswordReset {
                    user_id: user.id,
                    username: user.username,
                    email: user.email,
                    reset_url: format!("{reset_url}?token={token}"),
                    expires_at,
                }),
            )?;
            Ok(())
        })
        .await?;
    Ok(accepted)
}

fn unusable_link() -> ApiError {
    Refusal::ResetLinkInvalid.into()
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
    validate::new_password(&new_password)?;
    let digest = secret::digest(token.trim());
    // The cheap check first: nobody makes auth hash passwords for made-up links.
    let lookup = digest.clone();
    if !db::run(&infra.pool, move |conn| {
        Ok(tokens::reset_is_usable(conn, &lookup)?)
    })
    .await?
    {
        return Err(unusable_link());
    }
    let hash = state.hasher.hash_blocking(new_password).await?;
    infra
        .transaction(move |conn| {
            let Some(user_id) = tokens::consume_reset(conn, &digest)? else {
                return Err(unusable_link());
            };
            crate::db::users::set_password(conn, user_id, &hash)?;
            tokens::revoke_user_sessions(conn, user_id, None)?;
            // The new security stamp ends the account's sessions elsewhere.
            let user = crate::db::users::find(conn, user_id)?;
            common::outbox::publish(conn, &crate::domain::events::updated(&user))?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
