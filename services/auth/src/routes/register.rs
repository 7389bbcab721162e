//! POST /v1/register: self-registration with the standard password policy.

use actix_web::{post, web, HttpResponse};
use common::{ApiError, Infra};

use crate::db::models::{status, UserView};
use crate::domain::accounts::{self, NewAccount};
use crate::domain::validate::PasswordPolicy;
use crate::state::AuthState;

#[utoipa::path(tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = UserView), (status = 409, description = "username or email taken"),
              (status = 422, description = "invalid fields")))]
#[post("/v1/register")]
pub async fn register(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    body: common::Json<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let account = body.into_inner().validated(PasswordPolicy::Standard)?;
    let initial = if state.settings.require_approval {
        status::PENDING
    } else {
        status::ACTIVE
    };
    let hash = state.hasher.hash_blocking(account.password.clone()).await?;
    let user = infra
        .transaction(move |conn| accounts::create(conn, &account, &hash, initial, vec![]))
        .await?;
    infra.metrics.count("user_registered");
    Ok(HttpResponse::Created().json(UserView::from(user)))
}
