//! `/<username>/follow` and `/<username>/unfollow`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use common::Infra;

use super::html::path_segment;
use super::session::{self, redirect_with_flash, WebConfig};
use super::{error_page, PageResult};
use crate::domain::{follows, lookup};
use crate::state::SocialState;

async fn change_page(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    config: web::Data<WebConfig>,
    username: web::Path<String>,
    follow: bool,
) -> PageResult {
    let Some(viewer) = session::viewer(&infra, &req).await? else {
        return Ok(error_page(
            &config,
            &req,
            StatusCode::UNAUTHORIZED,
            "Sign in to follow people.",
        ));
    };
    let Some(other) = lookup::by_name(&infra, &state, &username).await? else {
        return Ok(error_page(
            &config,
            &req,
            StatusCode::NOT_FOUND,
            "There is no such user.",
        ));
    };
    if viewer.id == other.id {
        return Ok(error_page(
            &config,
            &req,
            StatusCode::BAD_REQUEST,
            "You cannot follow yourself.",
        ));
    }
    follows::change(&infra, &viewer, &other, follow).await?;
    let flash = if follow {
        format!("You are now following \"{}\"", other.username)
    } else {
        format!("You are no longer following \"{}\"", other.username)
    };
    let location = format!("/{}", path_segment(&other.username));
    Ok(redirect_with_flash(&config, &location, Some(&flash)).finish())
}

pub async fn follow(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    config: web::Data<WebConfig>,
    username: web::Path<String>,
) -> PageResult {
    change_page(req, infra, state, config, username, true).await
}

pub async fn unfollow(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    config: web::Data<WebConfig>,
    username: web::Path<String>,
) -> PageResult {
    change_page(req, infra, state, config, username, false).await
}
