//! The OpenAPI document of the JSON API, served at /openapi.json. The MiniTwit
//! simulator API keeps its own contract (docs/social.md) and is not in it.

use common::openapi::BearerAuth;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Microblog service", description = "Messages, timelines, follows, moderation and news. Timelines page with `cursor`/`next_cursor`, newest first."),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The document's title, description and security schemes; the operations
/// come from the route table (`routes::configure`).
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
