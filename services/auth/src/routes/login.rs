//! POST /v1/login: password login (domain::login).

use actix_web::{post, web, HttpRequest, HttpResponse};
use common::{ApiError, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::session::TokenPair;
use crate::domain::throttle;
use crate::domain::validate::PASSWORD_MAX;
use crate::state::AuthState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Username or email address.
    #[serde(alias = "email", alias = "login")]
    pub username: String,
    pub password: String,
}

#[utoipa::path(tag = "sessions", request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 401, description = "wrong credentials"),
              (status = 403, description = "account not active"), (status = 429, description = "throttled")))]
#[post("/v1/login")]
pub async fn login(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest {
        username: login,
        password,
    } = body.into_inner();
    let login = login.trim().to_owned();
    if login.is_empty() || password.is_empty() {
        return Err(ApiError::bad_request(
            "send a username (or email) and a password",
        ));
    }
    if login.len() > 320 || password.len() > PASSWORD_MAX {
        // No account has such a name or password; answer as for any wrong login.
        return Err(ApiError::unauthorized("wrong username, email or password"));
    }
    let address = throttle::client_address(&req);
    let pair =
        crate::domain::login::login(&infra, &state.into_inner(), login, password, address).await?;
    Ok(HttpResponse::Ok().json(pair))
}
