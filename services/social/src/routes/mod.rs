//! The route table: the MiniTwit simulator API on `api.<BASE_DOMAIN>`, the
//! JSON API under `/v1`, and the web pages for every other path.

use actix_web::web;

pub mod api;
pub mod minitwit;
pub mod web_pages;

pub fn configure(cfg: &mut web::ServiceConfig, base_domain: &str) {
    minitwit::configure(cfg, &format!("api.{base_domain}"));
    api::configure(cfg);
    web_pages::configure(cfg);
}
