//! API clients for third-party consumers: created and revoked by admins; the
//! secret is shown once and stored hashed.

use actix_web::{web, HttpResponse};
use common::{db, ApiError, AuthUser, Infra, Validator};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::clients;
use crate::db::models::ApiClientView;
use crate::domain::secret;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewClient {
    pub name: String,
    /// Scopes like `users:provision` or `events:read`.
    #[serde(default)]
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

fn valid_scope(scope: &str) -> bool {
    !scope.is_empty()
        && scope.len() <= 64
        && scope
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == ':' || c == '_' || c == '.')
}

#[utoipa::path(post, path = "/v1/clients", tag = "clients", request_body = NewClient, security(("bearer" = [])),
    responses((status = 201, body = CreatedClient), (status = 403), (status = 422)))]
pub async fn create_client(
    infra: web::Data<Infra>,
    caller: AuthUser,
    body: web::Json<NewClient>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let NewClient { name, mut scopes } = body.into_inner();
    let name = name.trim().to_owned();
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
    let client_secret = secret::generate()?;
    let hash = secret::digest(&client_secret);
    let creator = caller.id;
    let client = db::run(&infra.pool, move |conn| {
        Ok(clients::insert(conn, &name, &hash, &scopes, creator)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedClient {
        client_id: client.id,
        client_secret,
        name: client.name,
        scopes: client.scopes,
    }))
}

#[utoipa::path(get, path = "/v1/clients", tag = "clients", security(("bearer" = [])),
    responses((status = 200, body = [ApiClientView]), (status = 403)))]
pub async fn list_clients(
    infra: web::Data<Infra>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let rows = db::run(&infra.pool, |conn| Ok(clients::list(conn)?)).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(ApiClientView::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(delete, path = "/v1/clients/{id}", tag = "clients", security(("bearer" = [])),
    responses((status = 204, description = "revoked; its tokens stop being issued"), (status = 403), (status = 404)))]
pub async fn revoke_client(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let id = id.into_inner();
    db::run(&infra.pool, move |conn| {
        if clients::find(conn, id)?.is_none() {
            return Err(ApiError::not_found(format!("no API client {id}")));
        }
        clients::revoke(conn, id)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
