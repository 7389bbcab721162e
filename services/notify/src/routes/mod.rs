//! The route table: notifications and settings under `/v1`, live push at `/ws`.

use actix_web::web;

pub mod notifications;
pub mod preferences;
pub mod ws;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ws", web::get().to(ws::connect)).service(
        web::scope("/v1")
            .route("/notifications", web::get().to(notifications::list))
            .route(
                "/notifications/unread-count",
                web::get().to(notifications::unread_count),
            )
            .route(
                "/notifications/read-all",
                web::post().to(notifications::read_all),
            )
            .route(
                "/notifications/{id}/read",
                web::post().to(notifications::read_one),
            )
            .route(
                "/notification-settings",
                web::get().to(preferences::get_settings),
            )
            .route(
                "/notification-settings",
                web::put().to(preferences::change_settings),
            ),
    );
}
