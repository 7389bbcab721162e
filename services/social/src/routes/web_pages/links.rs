//! The pages behind the links auth mails: choosing a new password
//! (`/reset-password?token=...`) and confirming a new email address
//! (`/confirm-email?token=...`). Opening a link only shows a form; the change
//! happens on the form's POST (mail scanners open links, they do not submit
//! forms), which this service passes to auth.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::html::{self, escape};
use super::session::{self, redirect_with_flash, WebConfig};
use super::{error_page, PageResult};
use crate::state::SocialState;

type Query = web::Query<HashMap<String, String>>;
type Form = web::Form<HashMap<String, String>>;

fn token_of(values: &HashMap<String, String>) -> Option<&str> {
    values
        .get("token")
        .map(|t| t.trim())
        .filter(|t| !t.is_empty() && t.len() <= 200)
}

fn page(
    config: &WebConfig,
    req: &HttpRequest,
    status: StatusCode,
    title: &str,
    body: &str,
) -> HttpResponse {
    let flashes = session::flashes(req);
    session::page(
        config,
        req,
        status,
        html::layout(title, None, &flashes, body),
    )
}

fn reset_form(
    config: &WebConfig,
    req: &HttpRequest,
    token: &str,
    error: Option<&str>,
) -> HttpResponse {
    let body = format!(
        "<h2>Choose a new password</h2>\n{}<form action=\"/reset-password\" method=\"post\">\
         <input type=\"hidden\" name=\"token\" value=\"{}\"><dl>\
         <dt>New password:</dt><dd><input type=\"password\" name=\"password\" size=\"30\"></dd>\
         <dt>New password <small>(repeat)</small>:</dt><dd><input type=\"password\" name=\"password2\" size=\"30\"></dd>\
         </dl><div class=\"actions\"><input type=\"submit\" value=\"Change password\"></div></form>",
        html::error(error),
        escape(token)
    );
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    page(config, req, status, "Choose a new password", &body)
}

const NO_TOKEN: &str =
    "This link is incomplete; open the whole link from the mail, or ask for a new one.";

pub async fn reset_page(
    req: HttpRequest,
    config: web::Data<WebConfig>,
    query: Query,
) -> HttpResponse {
    match token_of(&query) {
        Some(token) => reset_form(&config, &req, token, None),
        None => error_page(&config, &req, StatusCode::BAD_REQUEST, NO_TOKEN),
    }
}

pub async fn reset(
    req: HttpRequest,
    state: web::Data<SocialState>,
    config: web::Data<WebConfig>,
    form: Form,
) -> PageResult {
    let Some(token) = token_of(&form) else {
        return Ok(error_page(&config, &req, StatusCode::BAD_REQUEST, NO_TOKEN));
    };
    let password = form.get("password").map(String::as_str).unwrap_or_default();
    if password
        != form
            .get("password2")
            .map(String::as_str)
            .unwrap_or_default()
    {
        return Ok(reset_form(
            &config,
            &req,
            token,
            Some("The two passwords do not match"),
        ));
    }
    let answer = state
        .auth
        .follow_link(
            "/v1/password-reset/confirm",
            json!({"token": token, "new_password": password}),
        )
        .await;
    Ok(match answer {
        Ok(_) => redirect_with_flash(
            &config,
            "/login",
            Some("Your password was changed; sign in with the new one"),
        )
        .finish(),
        Err(Some(reason)) => reset_form(&config, &req, token, Some(&reason)),
        Err(None) => error_page(
            &config,
            &req,
            StatusCode::SERVICE_UNAVAILABLE,
            "Accounts cannot be reached right now; try again in a moment.",
        ),
    })
}

pub async fn confirm_email_page(
    req: HttpRequest,
    config: web::Data<WebConfig>,
    query: Query,
) -> HttpResponse {
    let Some(token) = token_of(&query) else {
        return error_page(&config, &req, StatusCode::BAD_REQUEST, NO_TOKEN);
    };
    let body = format!(
        "<h2>Confirm your new email address</h2>\n<p>Press the button to use this address for your account.</p>\
         <form action=\"/confirm-email\" method=\"post\"><input type=\"hidden\" name=\"token\" value=\"{}\">\
         <div class=\"actions\"><input type=\"submit\" value=\"Confirm\"></div></form>",
        escape(token)
    );
    page(
        &config,
        &req,
        StatusCode::OK,
        "Confirm your email address",
        &body,
    )
}

pub async fn confirm_email(
    req: HttpRequest,
    state: web::Data<SocialState>,
    config: web::Data<WebConfig>,
    form: Form,
) -> PageResult {
    let Some(token) = token_of(&form) else {
        return Ok(error_page(&config, &req, StatusCode::BAD_REQUEST, NO_TOKEN));
    };
    let answer = state
        .auth
        .follow_link("/v1/me/email/confirm", json!({"token": token}))
        .await;
    Ok(match answer {
        Ok(user) => {
            let email = user["email"].as_str().unwrap_or_default();
            let body = format!(
                "<h2>Email address changed</h2>\n<p>Your account now uses {}.</p>",
                escape(email)
            );
            page(
                &config,
                &req,
                StatusCode::OK,
                "Email address changed",
                &body,
            )
        }
        Err(Some(reason)) => error_page(&config, &req, StatusCode::BAD_REQUEST, &reason),
        Err(None) => error_page(
            &config,
            &req,
            StatusCode::SERVICE_UNAVAILABLE,
            "Accounts cannot be reached right now; try again in a moment.",
        ),
    })
}
