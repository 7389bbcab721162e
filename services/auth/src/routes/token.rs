//! POST /v1/token: the OAuth 2 client-credentials grant for API clients.

use actix_web::{http::header, post, web, Either, HttpRequest, HttpResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use common::jwt::{Claims, TokenKind};
use common::{db, ApiError, Infra};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::clients;
use crate::domain::refusal::Refusal;
use crate::domain::secret;
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

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientToken {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub scope: String,
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
    let rejected = || ApiError::from(Refusal::WrongClientCredentials);
    let (id, presented) = credentials(&req, &body).ok_or(Refusal::ClientCredentialsMissing)?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| rejected())?;
    let client = db::run(&infra.pool, move |conn| Ok(clients::find(conn, id)?))
        .await?
        .ok_or_else(rejected)?;
    if !secret::matches(&presented, &client.secret_hash) {
        return Err(rejected());
    }
    if client.revoked_at.is_some() {
        return Err(Refusal::ClientRevoked.into());
    }
    let scopes: Vec<String> = match &body.scope {
        Some(asked) => {
            let asked: Vec<String> = asked.split_whitespace().map(str::to_owned).collect();
            if let Some(extra) = asked.iter().find(|s| !client.scopes.contains(s)) {
                return Err(Refusal::ScopeNotAllowed {
                    scope: extra.to_string(),
                }
                .into());
            }
            asked
        }
        None => client.scopes.clone(),
    };
    let now = Utc::now().timestamp();
    let ttl = state.settings.client_token_ttl_secs;
    let scope = scopes.join(" ");
    let access_token = state.signer.sign(&Claims {
        sub: client.id.to_string(),
        username: client.name.clone(),
        roles: vec![],
        groups: vec![],
        exp: now + ttl,
        iat: now,
        jti: Uuid::new_v4().to_string(),
        iss: state.settings.common.jwt_issuer.clone(),
        aud: state.settings.common.jwt_audience.clone(),
        kind: TokenKind::Client,
        sid: None,
        scope: Some(scope.clone()),
        limits: vec![],
    })?;
    db::run(&infra.pool, move |conn| Ok(clients::touch(conn, id)?)).await?;
    Ok(HttpResponse::Ok().json(ClientToken {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl,
        scope,
    }))
}
