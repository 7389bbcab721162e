//! Cross-site request forgery defence without hidden form tokens (so forms
//! keep MiniTwit's exact inputs): state-changing requests, including the GET
//! follow, unfollow and logout links, are refused when the browser says they
//! come from another site (`Sec-Fetch-Site: cross-site`, or an `Origin`
//! naming another host). Requests without those headers (non-browser
//! clients) pass; the SameSite=Lax cookie covers older browsers.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web;

use super::session::WebConfig;

/// Whether the request changes state (and so must come from our own pages).
fn changes_state(method: &Method, path: &str) -> bool {
    if method != Method::GET && method != Method::HEAD {
        return true;
    }
    path == "/logout" || path.ends_with("/follow") || path.ends_with("/unfollow")
}

/// The host of an `Origin` value (`scheme://host[:port]`), lower-cased, without the port.
fn origin_host(origin: &str) -> Option<String> {
    let rest = origin.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The platform's own hosts under its base domain (docs: README's hosts).
const OWN_SUBDOMAINS: &[&str] = &["auth", "social", "api", "events", "notify"];

/// Whether `origin` belongs to this site: the request's own host, the
/// platform's domain, or one of the platform's own hosts under it (not any
/// subdomain: those may be someone else's).
pub fn same_site(origin: &str, request_host: &str, base_domain: &str) -> bool {
    let Some(host) = origin_host(origin) else {
        return false;
    };
    let request_host = request_host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(request_host, |(host, _)| host)
        .to_ascii_lowercase();
    let base = base_domain.to_ascii_lowercase();
    host == request_host
        || host == base
        || OWN_SUBDOMAINS
            .iter()
            .any(|sub| host == format!("{sub}.{base}"))
}

pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // The path as the router matches it, percent-decoded: `/meg/follo%77`
    // routes to the follow action and must be judged as `/meg/follow`.
    if changes_state(req.method(), req.match_info().as_str()) {
        let headers = req.headers();
        let cross_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"));
        let base_domain = req
            .app_data::<web::Data<WebConfig>>()
            .map(|c| c.base_domain.clone())
            .unwrap_or_default();
        let foreign_origin = headers
            .get(header::ORIGIN)
            .map(|v| v.to_str().unwrap_or("null"))
            .is_some_and(|origin| !same_site(origin, req.connection_info().host(), &base_domain));
        if cross_site || foreign_origin {
            tracing::warn!(path = req.path(), "refused a cross-site request");
            let response = actix_web::HttpResponse::build(StatusCode::FORBIDDEN)
                .content_type("text/plain; charset=utf-8")
                .body("Forbidden: this request came from another site.");
            return Ok(req.into_response(response));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_this_site_pass_and_others_do_not() {
        assert!(same_site(
            "http://localhost:8080",
            "localhost:8080",
            "localhost"
        ));
        assert!(same_site(
            "https://social.example.org",
            "example.org",
            "example.org"
        ));
        assert!(!same_site(
            "https://evil.example",
            "localhost:8080",
            "localhost"
        ));
        assert!(!same_site(
            "https://notexample.org",
            "example.org",
            "example.org"
        ));
        assert!(!same_site(
            "https://someones-blog.example.org",
            "example.org",
            "example.org"
        ));
        assert!(same_site(
            "https://api.example.org",
            "example.org",
            "example.org"
        ));
        assert!(!same_site("null", "localhost:8080", "localhost"));
    }

    #[test]
    fn links_that_change_state_are_guarded() {
        assert!(changes_state(&Method::GET, "/logout"));
        assert!(changes_state(&Method::GET, "/alice/follow"));
        assert!(changes_state(&Method::POST, "/login"));
        assert!(!changes_state(&Method::GET, "/public"));
        assert!(!changes_state(&Method::GET, "/follower"));
    }
}
