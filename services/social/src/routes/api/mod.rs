//! The JSON API under `/v1` (bearer tokens from auth), on `social.<BASE_DOMAIN>`.

use common::openapi::ApiConfig;

pub mod follows;
pub mod messages;
pub mod moderation;
pub mod news;
mod news_images;
pub mod profiles;
pub mod timelines;
pub mod views;

/// Every JSON API route, in matching order (`/messages/flagged` before
/// `/messages/{id}`); each handler's attributes give its path, method and
/// OpenAPI operation.
pub fn configure(cfg: &mut ApiConfig) {
    cfg.service(messages::post_message)
        .service(moderation::flagged)
        .service(messages::get_message)
        .service(messages::delete_message)
        .service(moderation::flag)
        .service(moderation::unflag)
        .service(timelines::public)
        .service(timelines::home)
        .service(profiles::profile)
        .service(timelines::of_user)
        .service(follows::follow)
        .service(follows::unfollow)
        .service(follows::followers)
        .service(follows::following)
        .service(news::list_news)
        .service(news::create_news)
        .service(news::get_news)
        .service(news::update_news)
        .service(news::delete_news)
        .service(news_images::upload_image)
        .service(news_images::delete_image);
}
