//! The route table.

use actix_web::web;

pub mod minitwit;

pub fn configure(cfg: &mut web::ServiceConfig, base_domain: &str) {
    minitwit::configure(cfg, &format!("api.{base_domain}"));
}
