//! Signing up, in and out. Accounts are the platform's: auth creates them and
//! checks passwords; this service keeps only the web session.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use common::auth_user::verified_caller;
use common::jwt::Verifier;
use common::{ApiError, Infra};

use super::html::{self, escape};
use super::session::{self, redirect_with_flash, WebConfig};
use super::PageResult;
use crate::auth_client::LoginError;
use crate::domain::lookup;
use crate::domain::registration::{self, Refused};
use crate::state::SocialState;

type Form = web::Form<HashMap<String, String>>;

fn field<'a>(form: &'a Form, name: &str) -> &'a str {
    form.get(name).map(String::as_str).unwrap_or_default()
}

fn form_page(
    config: &WebConfig,
    req: &HttpRequest,
    status: StatusCode,
    title: &str,
    error: Option<&str>,
    fields: &str,
    submit: &str,
) -> HttpResponse {
    let action = if title == "Sign Up" {
        "/register"
    } else {
        "/login"
    };
    let body = format!(
        "<h2>{title}</h2>\n{}<form action=\"{action}\" method=\"post\"><dl>{fields}</dl>\
         <div class=\"actions\"><input type=\"submit\" value=\"{submit}\"></div></form>",
        html::error(error),
    );
    let flashes = session::flashes(req);
    session::page(
        config,
        req,
        status,
        html::layout(title, None, &flashes, &body),
    )
}

fn login_page(
    config: &WebConfig,
    req: &HttpRequest,
    error: Option<&str>,
    username: &str,
) -> HttpResponse {
    let fields = format!(
        "<dt>Username:</dt><dd><input type=\"text\" name=\"username\" size=\"30\" value=\"{}\"></dd>\
         <dt>Password:</dt><dd><input type=\"password\" name=\"password\" size=\"30\"></dd>",
        escape(username)
    );
    form_page(
        config,
        req,
        StatusCode::OK,
        "Sign In",
        error,
        &fields,
        "Sign In",
    )
}

fn register_page(
    config: &WebConfig,
    req: &HttpRequest,
    error: Option<&str>,
    username: &str,
    email: &str,
) -> HttpResponse {
    let fields = format!(
        "<dt>Username:</dt><dd><input type=\"text\" name=\"username\" size=\"30\" value=\"{}\"></dd>\
         <dt>E-Mail:</dt><dd><input type=\"text\" name=\"email\" size=\"30\" value=\"{}\"></dd>\
         <dt>Password:</dt><dd><input type=\"password\" name=\"password\" size=\"30\"></dd>\
         <dt>Password <small>(repeat)</small>:</dt><dd><input type=\"password\" name=\"password2\" size=\"30\"></dd>",
        escape(username),
        escape(email)
    );
    form_page(
        config,
        req,
        StatusCode::OK,
        "Sign Up",
        error,
        &fields,
        "Sign Up",
    )
}

pub async fn login_form(
    req: HttpRequest,
    infra: web::Data<Infra>,
    config: web::Data<WebConfig>,
) -> PageResult {
    if session::viewer(&infra, &req).await?.is_some() {
        return Ok(redirect_with_flash(&config, "/", None).finish());
    }
    Ok(login_page(&config, &req, None, ""))
}

/// The address the person connected from: the peer, or behind the trusted
/// proxies the right-most address they did not add.
fn client_address(infra: &Infra, req: &HttpRequest) -> Option<String> {
    infra
        .settings
        .trusted_proxies
        .client_of(req)
        .map(|ip| ip.to_string())
}

pub async fn login(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    config: web::Data<WebConfig>,
    form: Form,
) -> PageResult {
    if session::viewer(&infra, &req).await?.is_some() {
        return Ok(redirect_with_flash(&config, "/", None).finish());
    }
    let (username, password) = (field(&form, "username"), field(&form, "password"));
    let user = if username.trim().is_empty() {
        None
    } else {
        lookup::by_name(&infra, &state, username.trim()).await?
    };
    let Some(user) = user else {
        return Ok(login_page(
            &config,
            &req,
            Some("Invalid username"),
            username,
        ));
    };
    let address = client_address(&infra, &req);
    let device = session::device_token(&req);
    let mut logged_in = None;
    let error = match state
        .auth
        .login(
            &user.username,
            password,
            address.as_deref(),
            device.as_deref(),
        )
        .await
    {
        Ok(answer) => {
            logged_in = Some(answer);
            None
        }
        Err(LoginError::WrongPassword) => Some("Invalid password".to_owned()),
        Err(LoginError::Throttled(seconds)) => Some(format!(
            "Too many failed sign-ins. Try again in {seconds} seconds."
        )),
        Err(LoginError::Refused(detail)) => Some(format!("You cannot sign in: {detail}")),
        Err(LoginError::Unavailable(cause)) => {
            tracing::warn!(%cause, "cannot check a password with auth");
            return Ok(super::error_page(
                &config,
                &req,
                StatusCode::SERVICE_UNAVAILABLE,
                "Signing in is not possible right now. Please try again in a moment.",
            ));
        }
    };
    let (Some(logged_in), None) = (logged_in, &error) else {
        let error = error.unwrap_or_default();
        return Ok(login_page(&config, &req, Some(&error), username));
    };
    // The session is for whom auth logged in (the id in its token), not for
    // whoever the local copy thinks has that name: a renamed account's old
    // name may belong to someone else by now.
    let verifier = req
        .app_data::<web::Data<Verifier>>()
        .ok_or_else(|| ApiError::internal("no token verifier configured"))?;
    let caller = verified_caller(verifier, &logged_in.access_token).await?;
    let user = lookup::ensure_caller(&infra, &state, &caller).await?;
    let mut response = redirect_with_flash(&config, "/", Some("You were logged in"));
    if let Some(token) = logged_in.device_token {
        session::remember_device(&config, token, &mut response);
    }
    session::start(&infra, &config, &user, &mut response).await?;
    Ok(response.finish())
}

pub async fn register_form(
    req: HttpRequest,
    infra: web::Data<Infra>,
    config: web::Data<WebConfig>,
) -> PageResult {
    if session::viewer(&infra, &req).await?.is_some() {
        return Ok(redirect_with_flash(&config, "/", None).finish());
    }
    Ok(register_page(&config, &req, None, "", ""))
}

pub async fn register(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    config: web::Data<WebConfig>,
    form: Form,
) -> PageResult {
    if session::viewer(&infra, &req).await?.is_some() {
        return Ok(redirect_with_flash(&config, "/", None).finish());
    }
    let (username, email) = (field(&form, "username"), field(&form, "email"));
    let (password, password2) = (field(&form, "password"), field(&form, "password2"));
    let outcome = match registration::check(username, email, password, Some(password2)) {
        Ok(()) => {
            // Counted once the form is right: typing mistakes do not use up
            // the address's allowance, made accounts do.
            let address = client_address(&infra, &req).unwrap_or_else(|| "unknown".into());
            let allowance = state.settings.web_registrations_per_hour;
            if !state
                .redis
                .allow(&format!("web-register:{address}"), allowance, 3600)
                .await
            {
                let mut page = register_page(
                &config,
                &req,
                Some("Too many accounts were registered from your address. Try again in an hour."),
                username,
                email,
            );
                *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                return Ok(page);
            }
            registration::register(
                &infra,
                &state,
                username,
                email,
                password,
                registration::Origin::WebPage,
            )
            .await
        }
        Err(refused) => Err(refused),
    };
    let error = match outcome {
        Ok(_) => {
            return Ok(redirect_with_flash(
                &config,
                "/login",
                Some("You were successfully registered and can login now"),
            )
            .finish())
        }
        Err(Refused::Invalid(message)) => message.to_owned(),
        Err(Refused::Rejected(detail)) => detail,
        Err(Refused::Failed(error)) => return Err(error.into()),
    };
    Ok(register_page(&config, &req, Some(&error), username, email))
}

pub async fn logout(
    req: HttpRequest,
    infra: web::Data<Infra>,
    config: web::Data<WebConfig>,
) -> PageResult {
    let mut response = redirect_with_flash(&config, "/public", Some("You were logged out"));
    session::end(&infra, &config, &req, &mut response).await?;
    Ok(response.finish())
}
