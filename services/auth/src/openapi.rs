//! The OpenAPI document served at /openapi.json.

use common::openapi::BearerAuth;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Identity service", description = "Accounts, sessions, groups, API clients and signing keys."),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The document's title, description and security schemes; the operations
/// come from the route table (`routes::configure`).
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
