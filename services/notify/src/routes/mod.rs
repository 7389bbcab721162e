//! The route table: notifications and settings under `/v1`, live push at `/ws`.

use actix_web::web;
use common::openapi::ApiConfig;

pub mod notifications;
pub mod preferences;
pub mod ws;

/// Every route; each documented handler's attributes give its path, method
/// and OpenAPI operation. The WebSocket is not in the document.
pub fn configure(cfg: &mut ApiConfig) {
    cfg.map(|cfg| cfg.route("/ws", web::get().to(ws::connect)))
        .service(notifications::list)
        .service(notifications::unread_count)
        .service(notifications::read_all)
        .service(notifications::read_one)
        .service(preferences::get_settings)
        .service(preferences::change_settings);
}
