//! Creating API clients, shared by the HTTP API and `auth create-client`.

use chrono::{DateTime, Utc};
use common::jwt::{Claims, TokenKind};
use common::{db, ApiError, Infra, Validator};
use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::clients;
use crate::db::models::ApiClientView;
use crate::domain::refusal::Refusal;
use crate::domain::secret;
use crate::state::AuthState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewClient {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub name: String,
    /// Scopes like `users:provision`, `users:read` or `events:read`.
    #[serde(default)]
    #[schema(value_type = Vec<ScopeName>)]
    pub scopes: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedClient {
    pub client_id: Uuid,
    /// Shown only now; store it safely.
    pub client_secret: String,
    pub name: String,
    pub scopes: Vec<String>,
}

/// A scope name (documentation of `NewClient::scopes`).
#[derive(ToSchema)]
#[schema(value_type = String, pattern = "^[a-z:_.]{1,64}$")]
#[allow(dead_code)]
pub struct ScopeName(String);

fn valid_scope(scope: &str) -> bool {
    !scope.is_empty()
        && scope.len() <= 64
        && scope
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == ':' || c == '_' || c == '.')
}

impl NewClient {
    /// Trims the name, dedupes the scopes and checks both.
    pub fn validated(self) -> Result<Self, ApiError> {
        let name = self.name.trim().to_owned();
        let mut scopes = self.scopes;
        scopes.sort();
        scopes.dedup();
        let mut v = Validator::new();
        v.check(
            (1..=100).contains(&name.chars().count()),
            "name",
            "must be 1 to 100 characters",
        );
        for scope in &scopes {
            v.check(
                valid_scope(scope),
                "scopes",
                format!("{scope:?} is not a scope (lowercase letters, ':', '_', '.')"),
            );
        }
        v.finish()?;
        Ok(Self { name, scopes })
    }
}

/// Stores a validated client with a fresh secret, returned only here.
pub fn create(
    conn: &mut PgConnection,
    client: &NewClient,
    created_by: Option<Uuid>,
) -> Result<CreatedClient, ApiError> {
    let client_secret = secret::generate()?;
    let stored = clients::insert(
        conn,
        &client.name,
        &secret::digest(&client_secret),
        &client.scopes,
        created_by,
    )?;
    Ok(CreatedClient {
        client_id: stored.id,
        client_secret,
        name: stored.name,
        scopes: stored.scopes,
    })
}

/// An administrator (`creator`) creates API client `client`; its secret is
/// in the answer, once.
pub async fn create_client(
    infra: &Infra,
    client: NewClient,
    creator: Uuid,
) -> Result<CreatedClient, ApiError> {
    db::run(&infra.pool, move |conn| {
        create(conn, &client, Some(creator))
    })
    .await
}

/// Every API client, revoked ones too.
pub async fn list_clients(infra: &Infra) -> Result<Vec<ApiClientView>, ApiError> {
    let rows = db::run(&infra.pool, |conn| Ok(clients::list(conn)?)).await?;
    Ok(rows.into_iter().map(ApiClientView::from).collect())
}

/// Revokes API client `id`: its tokens stop working; 404 when none.
pub async fn revoke_client(infra: &Infra, id: Uuid) -> Result<(), ApiError> {
    db::run(&infra.pool, move |conn| {
        if clients::find(conn, id)?.is_none() {
            return Err(ApiError::not_found(format!("no API client {id}")));
        }
        clients::revoke(conn, id)?;
        Ok(())
    })
    .await
}

/// A client's access token (the client-credentials grant).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientToken {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub scope: String,
}

/// An access token for API client `client_id` presenting `presented` as its
/// secret, with the `scope` it asks for (all of its scopes when `None`);
/// 401 `wrong_client_credentials` or `client_revoked`, 400
/// `scope_not_allowed`.
pub async fn client_token(
    infra: &Infra,
    state: &AuthState,
    client_id: &str,
    presented: &str,
    scope: Option<String>,
    now: DateTime<Utc>,
) -> Result<ClientToken, ApiError> {
    let rejected = || ApiError::from(Refusal::WrongClientCredentials);
    let id = Uuid::parse_str(client_id.trim()).map_err(|_| rejected())?;
    let client = db::run(&infra.pool, move |conn| Ok(clients::find(conn, id)?))
        .await?
        .ok_or_else(rejected)?;
    if !secret::matches(presented, &client.secret_hash) {
        return Err(rejected());
    }
    if client.revoked_at.is_some() {
        return Err(Refusal::ClientRevoked.into());
    }
    let scopes: Vec<String> = match &scope {
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
    let now = now.timestamp();
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
    Ok(ClientToken {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl,
        scope,
    })
}
