//! The route table: one file per resource or action.

use common::openapi::ApiConfig;

pub mod clients;
pub mod groups;
pub mod jwks;
pub mod login;
pub mod me;
pub mod memberships;
pub mod password_reset;
pub mod refresh;
pub mod refusal;
pub mod register;
pub mod token;
pub mod users;

/// Every route, in matching order; each handler's attributes give its path,
/// method and OpenAPI operation.
pub fn configure(cfg: &mut ApiConfig) {
    cfg.service(jwks::jwks)
        .service(register::register)
        .service(login::login)
        .service(refresh::refresh)
        .service(refresh::logout)
        .service(token::token)
        .service(password_reset::request_reset)
        .service(password_reset::confirm_reset)
        .service(me::get_me)
        .service(me::update_me)
        .service(me::confirm_email)
        .service(me::change_password)
        .service(me::permissions)
        .service(users::list_users)
        .service(users::create_user)
        .service(users::get_user)
        .service(users::update_user)
        .service(users::activate)
        .service(users::decline)
        .service(users::deactivate)
        .service(groups::list_groups)
        .service(groups::create_group)
        .service(groups::get_group)
        .service(groups::update_group)
        .service(groups::delete_group)
        .service(memberships::list_members)
        .service(memberships::add_member)
        .service(memberships::change_role)
        .service(memberships::remove_member)
        .service(clients::list_clients)
        .service(clients::create_client)
        .service(clients::revoke_client);
}
