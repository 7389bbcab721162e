//! The MiniTwit web pages (`docs/minitwit-web.md`), server-rendered and
//! working without JavaScript, on platform accounts.

use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::{web, HttpRequest, HttpResponse};
use common::ApiError;

mod account;
pub mod csrf;
mod follow;
pub mod html;
mod links;
mod post;
pub mod session;
mod timeline;

pub use session::WebConfig;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("")
            .wrap(from_fn(csrf::refuse_cross_site))
            .route("/", web::get().to(timeline::home))
            .route("/public", web::get().to(timeline::public))
            .route("/add_message", web::post().to(post::add_message))
            .route("/login", web::get().to(account::login_form))
            .route("/login", web::post().to(account::login))
            .route("/register", web::get().to(account::register_form))
            .route("/register", web::post().to(account::register))
            .route("/logout", web::get().to(account::logout))
            .route("/reset-password", web::get().to(links::reset_page))
            .route("/reset-password", web::post().to(links::reset))
            .route("/confirm-email", web::get().to(links::confirm_email_page))
            .route("/confirm-email", web::post().to(links::confirm_email))
            .route("/{username}", web::get().to(timeline::of_user))
            .route("/{username}/follow", web::get().to(follow::follow))
            .route("/{username}/unfollow", web::get().to(follow::unfollow)),
    );
}

/// An error page: the status, a heading and a sentence.
pub fn error_page(
    config: &WebConfig,
    req: &HttpRequest,
    status: StatusCode,
    message: &str,
) -> HttpResponse {
    let title = status.canonical_reason().unwrap_or("Error");
    let body = format!(
        "<h2>{}</h2><p>{}</p>",
        html::escape(title),
        html::escape(message)
    );
    session::page(config, req, status, html::layout(title, None, &[], &body))
}

/// What a page handler returns: a page, or an error shown as a page.
pub type PageResult = Result<HttpResponse, PageError>;

/// An infrastructure failure while building a page; shown as an HTML error page.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        PageError(error)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl actix_web::ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }
    fn error_response(&self) -> HttpResponse {
        // Reuse ApiError's logging of causes; show people a page, not JSON.
        let _ = actix_web::ResponseError::error_response(&self.0);
        let message = if self.0.status.is_server_error() {
            "Something went wrong on our side. Please try again in a moment.".to_owned()
        } else {
            self.0.detail.clone()
        };
        let title = self.0.status.canonical_reason().unwrap_or("Error");
        let body = format!(
            "<h2>{}</h2><p>{}</p>",
            html::escape(title),
            html::escape(&message)
        );
        HttpResponse::build(self.0.status)
            .content_type("text/html; charset=utf-8")
            .body(html::layout(title, None, &[], &body))
    }
}
