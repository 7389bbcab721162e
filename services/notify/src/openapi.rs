//! The OpenAPI document served at /openapi.json.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::*;

struct BearerAuth;

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
