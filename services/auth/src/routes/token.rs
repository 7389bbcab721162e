//! POST /v1/token: the OAuth 2 client-credentials grant for API clients.

use actix_web::{http::header, post, web, Either, HttpRequest, HttpResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use common::{ApiError, Infra};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::clients::{self, ClientToken};
use crate::domain::refusal::Refusal;
use crate::state::AuthState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    #[schema(pattern = "^client_credentials$")]
    pub grant_type: String,
    pub client_id: Option<String>,
    #[schema(format = Password)]
    pub client_secret: Option<String>,
    /// Space-separated subset of the client's scopes (default: all).
    pub scope: Option<String>,
}

/// Client id and secret from HTTP Basic auth, or else from the body.
fn credentials(req: &HttpRequest, body: &TokenRequest) -> Option<(String, String)> {
    let basic = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|pair| {
            pair.split_once(':')
                .map(|(id, secret)| (id.to_owned(), secret.to_owned()))
        });
    basic.or_else(|| Some((body.client_id.clone()?, body.client_secret.clone()?)))
}

#[utoipa::path(tag = "clients", request_body = TokenRequest,
    responses((status = 200, body = ClientToken), (status = 400, description = "unsupported grant or scope"),
              (status = 401, description = "unknown client, wrong secret or revoked")))]
#[post("/v1/token")]
pub async fn token(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    body: Either<web::Form<TokenRequest>, common::Json<TokenRequest>>,
) -> Result<HttpResponse, ApiError> {
    let body = match body {
        Either::Left(form) => form.into_inner(),
        Either::Right(json) => json.into_inner(),
    };
    if body.grant_type != "client_credentials" {
        return Err(Refusal::UnsupportedGrantType.into());
    }
    let (id, presented) = credentials(&req, &body).ok_or(Refusal::ClientCredentialsMissing)?;
    let token =
        clients::client_token(&infra, &state, &id, &presented, body.scope, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(token))
}
