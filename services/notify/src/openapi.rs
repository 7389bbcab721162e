//! The OpenAPI document served at /openapi.json.

use common::openapi::BearerAuth;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Notification service", description = "My notifications and settings. Live push: `GET /ws?access_token=...` (WebSocket)."),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The document's title, description and security schemes; the operations
/// come from the route table (`routes::configure`).
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
