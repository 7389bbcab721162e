//! /fllws: whom a user follows, and following or unfollowing someone.

use actix_web::{web, HttpRequest, HttpResponse};
use common::{db, Infra};
use serde::Deserialize;
use serde_json::json;

use super::{json_body, limit, no_content, require_simulator, resolve, SimError};
use crate::db::follows;
use crate::domain::events::{self, FollowChanged};
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
    let names = db::run(&infra.pool, move |conn| {
        Ok(follows::followed_names(conn, user.id, limit)?)
    })
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
    let user = resolve(&infra, &state, username.into_inner()).await?;
    let other = resolve(&infra, &state, other).await?;
    let changed = db::transaction(&infra.pool, move |conn| {
        let changed = if following {
            follows::follow(conn, user.id, other.id)?
        } else {
            follows::unfollow(conn, user.id, other.id)?
        };
        if changed {
            let event = if following {
                events::USER_FOLLOWED
            } else {
                events::USER_UNFOLLOWED
            };
            events::publish(
                conn,
                event,
                &FollowChanged {
                    follower_id: user.id,
                    follower_username: &user.username,
                    followee_id: other.id,
                    followee_username: &other.username,
                },
            )?;
        }
        Ok(changed)
    })
    .await?;
    if changed {
        infra.outbox.wake();
    }
    Ok(no_content())
}
