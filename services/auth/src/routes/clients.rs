//! API clients for third-party consumers: created and revoked by admins; the
//! secret is shown once and stored hashed.

use actix_web::{delete, get, post, web, HttpResponse};
use common::{Admin, ApiError, Infra};
use uuid::Uuid;

use crate::db::models::ApiClientView;
use crate::domain::clients::{self, CreatedClient, NewClient};

#[utoipa::path(tag = "clients", request_body = NewClient, security(("bearer" = [])),
    responses((status = 201, body = CreatedClient), (status = 403), (status = 422)))]
#[post("/v1/clients")]
pub async fn create_client(
    infra: web::Data<Infra>,
    Admin(caller): Admin,
    body: common::Json<NewClient>,
) -> Result<HttpResponse, ApiError> {
    let client = body.into_inner().validated()?;
    let created = clients::create_client(&infra, client, caller.id).await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(tag = "clients", security(("bearer" = [])),
    responses((status = 200, body = [ApiClientView]), (status = 403)))]
#[get("/v1/clients")]
pub async fn list_clients(
    infra: web::Data<Infra>,
    _admin: Admin,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(clients::list_clients(&infra).await?))
}

#[utoipa::path(tag = "clients", security(("bearer" = [])),
    responses((status = 204, description = "revoked; its tokens stop being issued"), (status = 403), (status = 404)))]
#[delete("/v1/clients/{id}")]
pub async fn revoke_client(
    infra: web::Data<Infra>,
    _admin: Admin,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    clients::revoke_client(&infra, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
