//! The route table: the MiniTwit simulator API on `api.<BASE_DOMAIN>`, the
//! JSON API under `/v1`, and the web pages for every other path.

use common::openapi::ApiConfig;

pub mod api;
pub mod minitwit;
pub mod web_pages;

/// The MiniTwit API (matched first, by host), the documented JSON API, then
/// the web pages for every other path.
pub fn configure(cfg: &mut ApiConfig, base_domain: &str) {
    let minitwit_host = format!("api.{base_domain}");
    cfg.map(|cfg| {
        minitwit::configure(cfg, &minitwit_host);
        cfg
    });
    api::configure(cfg);
    cfg.map(|cfg| {
        web_pages::configure(cfg);
        cfg
    });
}
