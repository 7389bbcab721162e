//! POST /v1/login: password login, throttled per account and address.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use common::{db, ApiError, Infra};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::db::models::status;
use crate::db::schema::users;
use crate::domain::session::{self, TokenPair};
use crate::domain::throttle;
use crate::domain::validate::PASSWORD_MAX;
use crate::state::AuthState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Username or email address.
    #[serde(alias = "email", alias = "login")]
    pub username: String,
    pub password: String,
}

#[utoipa::path(post, path = "/v1/login", tag = "sessions", request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 401, description = "wrong credentials"),
              (status = 403, description = "account not active"), (status = 429, description = "throttled")))]
pub async fn login(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest {
        username: login,
        password,
    } = body.into_inner();
    let login = login.trim().to_owned();
    if login.is_empty() || password.is_empty() {
        return Err(ApiError::bad_request(
            "send a username (or email) and a password",
        ));
    }
    if login.len() > 320 || password.len() > PASSWORD_MAX {
        // No account has such a name or password; answer as for any wrong login.
        return Err(ApiError::unauthorized("wrong username, email or password"));
    }
    let address = throttle::client_address(&req);
    let limits = state.settings.throttle;
    throttle::check(&state.redis, limits, &login, &address).await?;

    let lookup = login.clone();
    let user = db::run(&infra.pool, move |conn| {
        Ok(crate::db::users::find_by_login(conn, &lookup)?)
    })
    .await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    if !state.hasher.verify_blocking(password, hash).await? {
        throttle::record_failure(&state.redis, limits, &login, &address).await;
        infra.metrics.count("login_failed");
        return Err(ApiError::unauthorized("wrong username, email or password"));
    }
    let Some(user) = user else {
        return Err(ApiError::unauthorized("wrong username, email or password"));
    };
    match user.status.as_str() {
        status::ACTIVE => {}
        status::PENDING => {
            return Err(ApiError::forbidden(
                "this account is waiting for an administrator's approval",
            ))
        }
        status::DECLINED => {
            return Err(ApiError::forbidden(
                "this account's registration was declined",
            ))
        }
        _ => return Err(ApiError::forbidden("this account has been deactivated")),
    }
    throttle::record_success(&state.redis, &login).await;
    let state = state.into_inner();
    let pair = db::transaction(&infra.pool, move |conn| {
        diesel::update(users::table.find(user.id))
            .set(users::last_login_at.eq(Utc::now()))
            .execute(conn)?;
        session::issue(conn, &state, &user, None)
    })
    .await?;
    infra.metrics.count("login_succeeded");
    Ok(HttpResponse::Ok().json(pair))
}
