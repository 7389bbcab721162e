//! Sessions and flash messages of the web pages. The session cookie holds a
//! random token (HttpOnly, SameSite=Lax); the database keeps its SHA-256.
//! Flash messages ride in a cookie of their own until the next page shows them.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use common::{db, ApiError, Infra};
use ring::rand::{SecureRandom, SystemRandom};

use crate::db::users::User;
use crate::db::web_sessions;

pub const SESSION_COOKIE: &str = "session";
pub const FLASH_COOKIE: &str = "flash";
/// The browser's device token from auth: a browser that has logged in before
/// is not held back by login throttling that others caused.
pub const DEVICE_COOKIE: &str = "device";
/// How long a browser stays known.
pub const DEVICE_DAYS: i64 = 365;
/// How long a web login lasts.
pub const SESSION_DAYS: i64 = 30;

/// Settings of the web pages.
#[derive(Debug, Clone)]
pub struct WebConfig {
    pub base_domain: String,
    /// Mark cookies `Secure` (set when the site is served over HTTPS).
    pub secure_cookies: bool,
}

fn hash(token: &str) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, token.as_bytes())
        .as_ref()
        .to_vec()
}

fn cookie<'a>(config: &WebConfig, name: &'a str, value: String) -> Cookie<'a> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .finish()
}

fn expired<'a>(config: &WebConfig, name: &'a str) -> Cookie<'a> {
    let mut gone = cookie(config, name, String::new());
    gone.set_max_age(CookieAge::ZERO);
    gone
}

/// The device token this browser keeps, if any.
pub fn device_token(req: &HttpRequest) -> Option<String> {
    req.cookie(DEVICE_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|t| !t.is_empty() && t.len() <= 128)
}

/// Keeps `token` as this browser's device token.
pub fn remember_device(config: &WebConfig, token: String, response: &mut HttpResponseBuilder) {
    let mut device = cookie(config, DEVICE_COOKIE, token);
    device.set_max_age(CookieAge::days(DEVICE_DAYS));
    response.cookie(device);
}

/// The logged-in user of this request, if any.
pub async fn viewer(infra: &Infra, req: &HttpRequest) -> Result<Option<User>, ApiError> {
    let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    let token_hash = hash(&token);
    db::run(&infra.pool, move |conn| {
        Ok(web_sessions::user_of(conn, &token_hash)?)
    })
    .await
}

/// Starts a session for `user`; the cookie goes on `response`.
pub async fn start(
    infra: &Infra,
    config: &WebConfig,
    user: &User,
    response: &mut HttpResponseBuilder,
) -> Result<(), ApiError> {
    let mut bytes = [0u8; 32];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| ApiError::internal("the system random generator failed"))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let token_hash = hash(&token);
    let user_id = user.id;
    let expires_at = Utc::now() + chrono::Duration::days(SESSION_DAYS);
    db::run(&infra.pool, move |conn| {
        Ok(web_sessions::create(
            conn,
            &token_hash,
            user_id,
            expires_at,
        )?)
    })
    .await?;
    let mut session = cookie(config, SESSION_COOKIE, token);
    session.set_max_age(CookieAge::days(SESSION_DAYS));
    response.cookie(session);
    Ok(())
}

/// Ends this request's session (if any); the cookie is cleared on `response`.
pub async fn end(
    infra: &Infra,
    config: &WebConfig,
    req: &HttpRequest,
    response: &mut HttpResponseBuilder,
) -> Result<(), ApiError> {
    if let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        let token_hash = hash(&token);
        db::run(&infra.pool, move |conn| {
            Ok(web_sessions::delete(conn, &token_hash)?)
        })
        .await?;
    }
    response.cookie(expired(config, SESSION_COOKIE));
    Ok(())
}

/// The flash messages waiting for this request.
pub fn flashes(req: &HttpRequest) -> Vec<String> {
    req.cookie(FLASH_COOKIE)
        .and_then(|c| URL_SAFE_NO_PAD.decode(c.value()).ok())
        .and_then(|bytes| serde_json::from_slice::<Vec<String>>(&bytes).ok())
        .unwrap_or_default()
}

/// A redirect to `location` that shows `flash` on the next page.
pub fn redirect_with_flash(
    config: &WebConfig,
    location: &str,
    flash: Option<&str>,
) -> HttpResponseBuilder {
    let mut response = HttpResponse::Found();
    response.insert_header((header::LOCATION, location.to_owned()));
    if let Some(flash) = flash {
        let encoded = URL_SAFE_NO_PAD.encode(serde_json::json!([flash]).to_string());
        response.cookie(cookie(config, FLASH_COOKIE, encoded));
    }
    response
}

/// An HTML page response that also consumes the flash cookie it shows.
pub fn page(
    config: &WebConfig,
    req: &HttpRequest,
    status: actix_web::http::StatusCode,
    html: String,
) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"));
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    if req.cookie(FLASH_COOKIE).is_some() {
        response.cookie(expired(config, FLASH_COOKIE));
    }
    response.body(html)
}
