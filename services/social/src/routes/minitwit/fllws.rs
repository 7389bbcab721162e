//! /fllws: whom a user follows, and following or unfollowing someone.

use actix_web::{web, HttpRequest, HttpResponse};
use common::{db, Infra};
use serde::Deserialize;
use serde_json::json;

use super::{
    json_body, limit, no_content, require_simulator, resolve, simulator_account, take_latest,
    SimError,
};
use crate::db::follows;
use crate::db::messages::Author;
use crate::domain::events;
use crate::state::SocialState;

pub async fn follows(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    username: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    require_simulator(&req, &state)?;
    let user = resolve(&infra, &state, username.into_inner()).await?;
    let limit = limit(&req);
    let names = infra
        .write_publishing(move |conn| Ok(follows::followed_names(conn, user.id, limit)?))
        .await?;
    Ok(HttpResponse::Ok().json(json!({"follows": names})))
}

#[derive(Deserialize)]
struct Change {
    follow: Option<String>,
    unfollow: Option<String>,
}

pub async fn change(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    username: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    require_simulator(&req, &state)?;
    let change: Change = json_body(&body)?;
    let (other, following) = match (change.follow, change.unfollow) {
        (Some(other), _) => (other, true),
        (None, Some(other)) => (other, false),
        (None, None) => {
            return Err(SimError::bad_request(
                "The body needs \"follow\" or \"unfollow\"",
            ))
        }
    };
    let username = username.into_inner();
    let envelope = events::follow_changed(following);
    let mut latest = take_latest(&req);
    for first_try in [true, false] {
        let (follower, followee, event) = (
            Author::Simulator(username.clone()),
            other.clone(),
            envelope.clone(),
        );
        let known = db::run(&infra.pool, move |conn| {
            Ok(follows::change_by_name(
                conn, &follower, &followee, following, &event, latest,
            )?)
        })
        .await?;
        latest = None;
        if known.follower && known.followee {
            return Ok(no_content());
        }
        if !first_try {
            break;
        }
        // Not in the local copy yet: learn them from auth (or 404), then retry.
        if !known.follower {
            simulator_account(&infra, &state, username.clone()).await?;
        }
        if !known.followee {
            resolve(&infra, &state, other.clone()).await?;
        }
    }
    Err(SimError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        "User not found",
    ))
}
