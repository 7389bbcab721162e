//! `POST /add_message`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use common::Infra;

use super::session::{self, redirect_with_flash, WebConfig};
use super::{error_page, PageResult};
use crate::db::messages::Author;
use crate::domain::messages::{self, MAX_TEXT};

pub async fn add_message(
    req: HttpRequest,
    infra: web::Data<Infra>,
    config: web::Data<WebConfig>,
    form: web::Form<HashMap<String, String>>,
) -> PageResult {
    let Some(viewer) = session::viewer(&infra, &req).await? else {
        return Ok(error_page(
            &config,
            &req,
            StatusCode::UNAUTHORIZED,
            "Sign in to post messages.",
        ));
    };
    let text = form.get("text").map(String::as_str).unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(redirect_with_flash(&config, "/", None).finish());
    }
    if text.chars().count() > MAX_TEXT {
        let flash = format!("Your message was not recorded: at most {MAX_TEXT} characters");
        return Ok(redirect_with_flash(&config, "/", Some(&flash)).finish());
    }
    messages::post(&infra, Author::Id(viewer.id), text.to_owned()).await?;
    Ok(redirect_with_flash(&config, "/", Some("Your message was recorded")).finish())
}
