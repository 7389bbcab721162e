//! The JSON API under `/v1` (bearer tokens from auth), on `social.<BASE_DOMAIN>`.

use actix_web::web;

pub mod follows;
pub mod messages;
pub mod moderation;
pub mod news;
pub mod profiles;
pub mod timelines;
pub mod views;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/v1")
            .route("/messages", web::post().to(messages::post_message))
            .route("/messages/flagged", web::get().to(moderation::flagged))
            .route("/messages/{id}", web::get().to(messages::get_message))
            .route("/messages/{id}", web::delete().to(messages::delete_message))
            .route("/messages/{id}/flag", web::post().to(moderation::flag))
            .route("/messages/{id}/flag", web::delete().to(moderation::unflag))
            .route("/timeline/public", web::get().to(timelines::public))
            .route("/timeline/home", web::get().to(timelines::home))
            .route("/users/{username}", web::get().to(profiles::profile))
            .route(
                "/users/{username}/messages",
                web::get().to(timelines::of_user),
            )
            .route("/users/{username}/follow", web::post().to(follows::follow))
            .route(
                "/users/{username}/follow",
                web::delete().to(follows::unfollow),
            )
            .route(
                "/users/{username}/followers",
                web::get().to(follows::followers),
            )
            .route(
                "/users/{username}/following",
                web::get().to(follows::following),
            )
            .route("/news", web::get().to(news::list_news))
            .route("/news", web::post().to(news::create_news))
            .route("/news/{id}", web::get().to(news::get_news))
            .route("/news/{id}", web::patch().to(news::update_news))
            .route("/news/{id}", web::delete().to(news::delete_news)),
    );
}
