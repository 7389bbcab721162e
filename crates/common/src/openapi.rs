//! What every service's OpenAPI document shares, and the route list it is
//! made from: a service registers each documented handler once, on an
//! [`ApiConfig`], and the handler's `#[utoipa::path]` plus its actix route
//! attribute (`#[get("/v1/...")]`) give both the route and its operation.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::Modify;

pub use crate::openapi_errors::RefusalCodes;

/// Where a service registers its routes: `.service(handler)` for documented
/// handlers, `.map(|cfg| ...)` for plain actix routes that are not in the
/// document (web pages, the MiniTwit API, WebSockets).
pub type ApiConfig<'a> = utoipa_actix_web::service_config::ServiceConfig<'a>;

/// The OpenAPI document of `base` (title, description, security schemes)
/// with every operation `configure` registers.
pub fn document<F>(base: utoipa::openapi::OpenApi, configure: F) -> serde_json::Value
where
    F: FnOnce(&mut ApiConfig),
{
    use utoipa_actix_web::AppExt;
    let (_, document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(base)
        .configure(configure)
        .split_for_parts();
    let mut document = serde_json::to_value(document).unwrap_or_default();
    crate::openapi_errors::complete(&mut document);
    document
}

/// Declares the `bearer` security scheme (access tokens from auth) that
/// operations refer to with `security(("bearer" = []))`.
pub struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
