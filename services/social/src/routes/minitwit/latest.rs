//! GET /latest: the latest action id the simulator sent, -1 before any.

use actix_web::{web, HttpResponse};
use common::{db, Infra};
use serde_json::json;

use super::SimError;

pub async fn latest(infra: web::Data<Infra>) -> Result<HttpResponse, SimError> {
    let latest = db::run(&infra.pool, |conn| Ok(crate::db::latest::load(conn)?)).await?;
    Ok(HttpResponse::Ok().json(json!({"latest": latest})))
}
