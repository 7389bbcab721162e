//! POST /v1/login: password login (domain::login).

use std::net::IpAddr;

use actix_web::{post, web, HttpRequest, HttpResponse};
use common::{ApiError, Infra, MaybeAuthUser};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::login::{self as password_login, Credentials};
use crate::domain::session::TokenPair;
use crate::routes::users::PROVISION_SCOPE;
use crate::state::AuthState;

/// The header in which a service that logs its visitors in (the microblog's
/// web pages) names the visitor's address. Believed only from an API client
/// with the `users:provision` scope.
pub const CLIENT_ADDRESS: &str = "x-client-address";

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Username or email address.
    #[serde(alias = "email", alias = "login")]
    #[schema(min_length = 1)]
    pub username: String,
    #[schema(format = Password, min_length = 1)]
    pub password: String,
    /// The `device_token` an earlier login from this browser or app returned.
    #[serde(default)]
    #[schema(format = Password)]
    pub device_token: Option<String>,
}

#[utoipa::path(tag = "sessions", request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 401, description = "wrong credentials"),
              (status = 403, description = "account not active"), (status = 429, description = "throttled")))]
#[post("/v1/login")]
pub async fn login(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    caller: MaybeAuthUser,
    body: common::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest {
        username: login,
        password,
        device_token,
    } = body.into_inner();
    let address = client_address(&req, &infra, &caller);
    let credentials = Credentials {
        login,
        password,
        address,
        device_token,
    };
    let pair = password_login::login(&infra, &state.into_inner(), credentials).await?;
    Ok(HttpResponse::Ok().json(pair))
}

/// The address to throttle: the one a provisioning service names for its
/// visitor, else the client's as the trusted proxies report it.
fn client_address(req: &HttpRequest, infra: &Infra, caller: &MaybeAuthUser) -> String {
    let forwarded_by_service = caller
        .0
        .as_ref()
        .filter(|c| c.has_scope(PROVISION_SCOPE))
        .and_then(|_| req.headers().get(CLIENT_ADDRESS))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    forwarded_by_service
        .or_else(|| infra.settings.trusted_proxies.client_of(req))
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}
