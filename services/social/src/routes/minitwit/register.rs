//! POST /register: a real platform account, created in auth.

use actix_web::{web, HttpResponse};
use common::{db, Infra};
use serde::Deserialize;

use super::{json_body, no_content, SimError};
use crate::auth_client::ProvisionError;
use crate::state::SocialState;

#[derive(Deserialize)]
struct Registration {
    username: Option<String>,
    email: Option<String>,
    pwd: Option<String>,
}

pub async fn register(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let form: Registration = json_body(&body)?;
    let username = form.username.unwrap_or_default();
    let email = form.email.unwrap_or_default();
    let password = form.pwd.unwrap_or_default();
    // MiniTwit's checks, in MiniTwit's order.
    if username.is_empty() {
        return Err(SimError::bad_request("You have to enter a username"));
    }
    if !email.contains('@') {
        return Err(SimError::bad_request(
            "You have to enter a valid email address",
        ));
    }
    if password.is_empty() {
        return Err(SimError::bad_request("You have to enter a password"));
    }
    let lookup = username.clone();
    let known = db::run(&infra.pool, move |conn| {
        Ok(crate::db::users::by_username(conn, &lookup)?)
    })
    .await?;
    if known.is_some() {
        return Err(SimError::bad_request("The username is already taken"));
    }
    match state.auth.provision(&username, &email, &password).await {
        Ok(user) => {
            db::run(&infra.pool, move |conn| {
                Ok(crate::db::users::remember(
                    conn,
                    user.id,
                    &user.username,
                    &user.email,
                    &user.status,
                )?)
            })
            .await?;
            infra.metrics.count("minitwit_registered");
            Ok(no_content())
        }
        Err(ProvisionError::Rejected {
            taken: true,
            detail,
        }) if detail.contains("username") => {
            Err(SimError::bad_request("The username is already taken"))
        }
        Err(ProvisionError::Rejected { taken: true, .. }) => {
            Err(SimError::bad_request("The email address is already taken"))
        }
        Err(ProvisionError::Rejected { detail, .. }) => Err(SimError::bad_request(detail)),
        Err(ProvisionError::Unavailable(cause)) => {
            tracing::warn!(%cause, "cannot provision a MiniTwit account");
            Err(SimError::new(
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                "The service is temporarily unavailable",
            ))
        }
    }
}
