//! The route table: one file per resource or action.

use actix_web::web;

pub mod clients;
pub mod groups;
pub mod jwks;
pub mod login;
pub mod me;
pub mod memberships;
pub mod password_reset;
pub mod refresh;
pub mod register;
pub mod token;
pub mod users;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/.well-known/jwks.json", web::get().to(jwks::jwks))
        .service(
            web::scope("/v1")
                .route("/register", web::post().to(register::register))
                .route("/login", web::post().to(login::login))
                .route("/refresh", web::post().to(refresh::refresh))
                .route("/logout", web::post().to(refresh::logout))
                .route("/token", web::post().to(token::token))
                .route(
                    "/password-reset",
                    web::post().to(password_reset::request_reset),
                )
                .route(
                    "/password-reset/confirm",
                    web::post().to(password_reset::confirm_reset),
                )
                .route("/me", web::get().to(me::get_me))
                .route("/me", web::patch().to(me::update_me))
                .route("/me/password", web::post().to(me::change_password))
                .route("/me/permissions", web::get().to(me::permissions))
                .route("/users", web::get().to(users::list_users))
                .route("/users", web::post().to(users::create_user))
                .route("/users/{id}", web::get().to(users::get_user))
                .route("/users/{id}", web::patch().to(users::update_user))
                .route("/users/{id}/activate", web::post().to(users::activate))
                .route("/users/{id}/decline", web::post().to(users::decline))
                .route("/users/{id}/deactivate", web::post().to(users::deactivate))
                .route("/groups", web::get().to(groups::list_groups))
                .route("/groups", web::post().to(groups::create_group))
                .route("/groups/{slug}", web::get().to(groups::get_group))
                .route("/groups/{slug}", web::patch().to(groups::update_group))
                .route("/groups/{slug}", web::delete().to(groups::delete_group))
                .route(
                    "/groups/{slug}/members",
                    web::get().to(memberships::list_members),
                )
                .route(
                    "/groups/{slug}/members",
                    web::post().to(memberships::add_member),
                )
                .route(
                    "/groups/{slug}/members/{user_id}",
                    web::patch().to(memberships::change_role),
                )
                .route(
                    "/groups/{slug}/members/{user_id}",
                    web::delete().to(memberships::remove_member),
                )
                .route("/clients", web::get().to(clients::list_clients))
                .route("/clients", web::post().to(clients::create_client))
                .route("/clients/{id}", web::delete().to(clients::revoke_client)),
        );
}
