//! The OpenAPI document served at /openapi.json.

use common::openapi::BearerAuth;
use utoipa::OpenApi;

use crate::routes::*;

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
