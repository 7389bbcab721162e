//! Timelines: public, one user's, and the caller's home timeline. Cursor
//! pagination, newest first: pass a page's `next_cursor` as `cursor` for the
//! next, older page; `next_cursor` is null on the last page.

use actix_web::{get, web, HttpResponse};
use common::auth_user::AuthUser;
use common::{db, ApiError, Infra};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::views::Message;
use crate::db::messages::{self, Timeline};
use crate::domain::lookup;
use crate::state::SocialState;

pub const DEFAULT_LIMIT: i64 = 30;
pub const MAX_LIMIT: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageParams {
    /// `next_cursor` of the previous page; absent for the newest messages.
    #[param(pattern = "^([1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
    /// Messages per page, 1 to 100 (default 30).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessagePage {
    pub items: Vec<Message>,
    /// Where the next (older) page starts; null when there is none.
    pub next_cursor: Option<String>,
}

impl PageParams {
    /// The message id to start below, and the page size.
    pub fn parse(&self) -> Result<(Option<i64>, i64), ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        let before = match self.cursor.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(cursor) => Some(cursor.parse::<i64>().ok().filter(|c| *c > 0).ok_or_else(
                || ApiError::bad_request("cursor must be a next_cursor value returned by this API"),
            )?),
        };
        Ok((before, limit))
    }
}

/// Loads one page of a timeline (one row more than asked, to know whether
/// another page follows).
pub async fn page(
    infra: &Infra,
    timeline: Timeline,
    params: &PageParams,
) -> Result<MessagePage, ApiError> {
    let (before, limit) = params.parse()?;
    let mut rows = db::run(&infra.pool, move |conn| {
        Ok(messages::timeline(conn, timeline, before, limit + 1)?)
    })
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more
        .then(|| rows.last().map(|m| m.id.to_string()))
        .flatten();
    Ok(MessagePage {
        items: rows.into_iter().map(Message::from).collect(),
        next_cursor,
    })
}

#[utoipa::path(tag = "timelines", params(PageParams),
    responses((status = 200, body = MessagePage), (status = 400)))]
#[get("/v1/timeline/public")]
pub async fn public(
    infra: web::Data<Infra>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(page(&infra, Timeline::Public, &params).await?))
}

#[utoipa::path(tag = "timelines", params(PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = MessagePage), (status = 401)))]
#[get("/v1/timeline/home")]
pub async fn home(
    infra: web::Data<Infra>,
    caller: AuthUser,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    Ok(HttpResponse::Ok().json(page(&infra, Timeline::Home(caller.id), &params).await?))
}

#[utoipa::path(tag = "timelines", params(PageParams),
    responses((status = 200, body = MessagePage), (status = 404)))]
#[get("/v1/users/{username}/messages")]
pub async fn of_user(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    username: web::Path<String>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let user = lookup::by_name(&infra, &state, &username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no user {:?}", username.as_str())))?;
    Ok(HttpResponse::Ok().json(page(&infra, Timeline::Author(user.id), &params).await?))
}
