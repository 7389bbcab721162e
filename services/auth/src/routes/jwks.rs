//! GET /.well-known/jwks.json: the public keys every service verifies with.

use actix_web::{get, http::header, web, HttpResponse};
use common::jwt::JwkSet;

use crate::state::AuthState;

#[utoipa::path(tag = "keys", responses((status = 200, body = JwkSet)))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AuthState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(&state.jwks)
}
