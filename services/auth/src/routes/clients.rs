//! API clients for third-party consumers: created and revoked by admins; the
//! secret is shown once and stored hashed.

use actix_web::{delete, get, post, web, HttpResponse};
use common::{db, Admin, ApiError, Infra};
use uuid::Uuid;

use crate::db::clients;
use crate::db::models::ApiClientView;
use crate::domain::clients::{self as domain_clients, CreatedClient, NewClient};

#[utoipa::path(tag = "clients", request_body = NewClient, security(("bearer" = [])),
    responses((status = 201, body = CreatedClient), (status = 403), (status = 422)))]
#[post("/v1/clients")]
pub async fn create_client(
    infra: web::Data<Infra>,
    Admin(caller): Admin,
    body: common::Json<NewClient>,
) -> Result<HttpResponse, ApiError> {
    let client = body.into_inner().validated()?;
    let creator = caller.id;
    let created = db::run(&infra.pool, move |conn| {
        domain_clients::create(conn, &client, Some(creator))
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(tag = "clients", security(("bearer" = [])),
    responses((status = 200, body = [ApiClientView]), (status = 403)))]
#[get("/v1/clients")]
pub async fn list_clients(
    infra: web::Data<Infra>,
    _admin: Admin,
) -> Result<HttpResponse, ApiError> {
    let rows = db::run(&infra.pool, |conn| Ok(clients::list(conn)?)).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(ApiClientView::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(tag = "clients", security(("bearer" = [])),
    responses((status = 204, description = "revoked; its tokens stop being issued"), (status = 403), (status = 404)))]
#[delete("/v1/clients/{id}")]
pub async fn revoke_client(
    infra: web::Data<Infra>,
    _admin: Admin,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
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
