//! POST /register: a real platform account, created in auth.

use actix_web::{web, HttpResponse};
use common::Infra;
use serde::Deserialize;

use super::{json_body, no_content, SimError};
use crate::domain::registration::{self, Refused};
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
    let outcome = match registration::check(&username, &email, &password, None) {
        Ok(()) => {
            registration::register(
                &infra,
                &state,
                &username,
                &email,
                &password,
                registration::Origin::Simulator,
            )
            .await
        }
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(_) => Ok(no_content()),
        Err(Refused::Invalid(message)) => Err(SimError::bad_request(message)),
        Err(Refused::Rejected(detail)) => Err(SimError::bad_request(detail)),
        Err(Refused::Failed(error)) => Err(error.into()),
    }
}
