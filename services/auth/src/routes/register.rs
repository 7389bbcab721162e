//! POST /v1/register: self-registration with the standard password policy.

use actix_web::{post, web, HttpResponse};
use common::{ApiError, Infra};

use crate::db::models::UserView;
use crate::domain::accounts::{self, NewAccount};
use crate::state::AuthState;

#[utoipa::path(tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = UserView), (status = 409, description = "username or email taken"),
              (status = 422, description = "invalid fields")))]
#[post("/v1/register")]
pub async fn register(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    body: common::Json<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let user = accounts::register(&infra, &state, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(UserView::from(user)))
}
