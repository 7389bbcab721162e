//! The OpenAPI document served at /openapi.json.

use common::openapi::BearerAuth;
use utoipa::OpenApi;

use crate::routes::*;

#[derive(OpenApi)]
#[openapi(
    info(title = "Notification service", description = "My notifications and settings. Live push: `GET /ws?access_token=...` (WebSocket)."),
    modifiers(&BearerAuth),
    paths(
        notifications::list, notifications::unread_count, notifications::read_one, notifications::read_all,
        preferences::get_settings, preferences::change_settings,
    )
)]
pub struct ApiDoc;

pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}
