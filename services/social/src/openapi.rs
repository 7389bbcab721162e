//! The OpenAPI document of the JSON API, served at /openapi.json. The MiniTwit
//! simulator API keeps its own contract (docs/social.md) and is not in it.

use common::openapi::BearerAuth;
use utoipa::OpenApi;

use crate::routes::api::*;

#[derive(OpenApi)]
#[openapi(
    info(title = "Microblog service", description = "Messages, timelines, follows, moderation and news. Timelines page with `cursor`/`next_cursor`, newest first."),
    modifiers(&BearerAuth),
    paths(
        messages::post_message, messages::get_message, messages::delete_message,
        moderation::flag, moderation::unflag, moderation::flagged,
        timelines::public, timelines::home, timelines::of_user,
        profiles::profile,
        follows::follow, follows::unfollow, follows::followers, follows::following,
        news::list_news, news::create_news, news::get_news, news::update_news, news::delete_news,
    )
)]
pub struct ApiDoc;

pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}
