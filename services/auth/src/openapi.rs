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
    info(title = "Identity service", description = "Accounts, sessions, groups, API clients and signing keys."),
    modifiers(&BearerAuth),
    paths(
        register::register, login::login, refresh::refresh, refresh::logout, token::token,
        password_reset::request_reset, password_reset::confirm_reset,
        me::get_me, me::update_me, me::change_password, me::permissions,
        users::list_users, users::get_user, users::create_user, users::update_user,
        users::activate, users::decline, users::deactivate,
        groups::create_group, groups::list_groups, groups::get_group, groups::update_group, groups::delete_group,
        memberships::list_members, memberships::add_member, memberships::change_role, memberships::remove_member,
        clients::create_client, clients::list_clients, clients::revoke_client,
        jwks::jwks,
    )
)]
pub struct ApiDoc;

pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}
