//! /msgs: the public timeline, a user's messages, and posting.

use actix_web::{web, HttpRequest, HttpResponse};
use common::{db, Infra};
use serde::{Deserialize, Serialize};

use super::{
    json_body, limit, no_content, require_simulator, resolve, simulator_account, take_latest,
    SimError,
};
use crate::db::messages::{self, Posted};
use crate::domain::events;
use crate::state::SocialState;

/// Longest message the simulator API accepts.
pub const MAX_CONTENT: usize = 10_000;

#[derive(Serialize)]
struct Message {
    content: String,
    pub_date: i64,
    user: String,
}

fn shown(rows: Vec<Posted>) -> Vec<Message> {
    rows.into_iter()
        .map(|m| Message {
            content: m.text,
            pub_date: m.created_at.timestamp(),
            user: m.username,
        })
        .collect()
}

pub async fn all(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
) -> Result<HttpResponse, SimError> {
    require_simulator(&req, &state)?;
    let limit = limit(&req);
    let rows = infra
        .write_publishing(move |conn| Ok(messages::latest(conn, None, limit)?))
        .await?;
    Ok(HttpResponse::Ok().json(shown(rows)))
}

pub async fn of_user(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    username: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    require_simulator(&req, &state)?;
    let user = resolve(&infra, &state, username.into_inner()).await?;
    let limit = limit(&req);
    let rows = db::run(&infra.pool, move |conn| {
        Ok(messages::latest(conn, Some(user.id), limit)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(shown(rows)))
}

#[derive(Deserialize)]
struct NewMessage {
    content: Option<String>,
}

pub async fn post(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    username: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    require_simulator(&req, &state)?;
    let message: NewMessage = json_body(&body)?;
    let Some(content) = message.content else {
        return Err(SimError::bad_request("The body needs a \"content\" string"));
    };
    if content.contains('\0') {
        return Err(SimError::bad_request(common::error::NUL_REFUSED));
    }
    if content.chars().count() > MAX_CONTENT {
        return Err(SimError::bad_request(format!(
            "A message has at most {MAX_CONTENT} characters"
        )));
    }
    let username = username.into_inner();
    let envelope = events::message_posted();
    let mut latest = take_latest(&req);
    for first_try in [true, false] {
        let (author, text, event) = (
            messages::Author::Simulator(username.clone()),
            content.clone(),
            envelope.clone(),
        );
        let posted = db::run(&infra.pool, move |conn| {
            Ok(messages::post_as(conn, &author, &text, &event, latest)?)
        })
        .await?;
        latest = None;
        if posted.is_some() {
            return Ok(no_content());
        }
        if first_try {
            // Not in the local copy yet (learn the user from auth, or 404), or
            // not the simulator's (403); else retry.
            simulator_account(&infra, &state, username.clone()).await?;
        }
    }
    Err(SimError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        format!("User {username:?} not found"),
    ))
}
