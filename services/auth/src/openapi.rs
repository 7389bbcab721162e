//! The OpenAPI document served at /openapi.json.

use common::openapi::{BearerAuth, RefusalCodes};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Identity service", description = "Accounts, sessions, groups, API clients and signing keys."),
    modifiers(&BearerAuth, &REFUSALS)
)]
pub struct ApiDoc;

/// The refusal codes, listed in the document's `Problem.code`.
const REFUSALS: RefusalCodes = RefusalCodes(crate::domain::refusal::CODES);

/// The document's title, description and security schemes; the operations
/// come from the route table (`routes::configure`).
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
