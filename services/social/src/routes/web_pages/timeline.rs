//! The timelines: mine (`/`), everyone's (`/public`) and one user's (`/<username>`).

use std::fmt::Write;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use common::{db, Infra};
use serde::Deserialize;

use super::html::{self, escape, path_segment};
use super::session::{self, redirect_with_flash, WebConfig};
use super::{error_page, PageResult};
use crate::db::follows;
use crate::db::messages::{self, Shown, Timeline};
use crate::db::users::User;
use crate::domain::lookup;
use crate::state::SocialState;

/// Messages per page, as in MiniTwit.
pub const PER_PAGE: i64 = 30;

#[derive(Debug, Deserialize)]
pub struct Older {
    /// Show messages older than this id (the "older messages" link).
    before: Option<i64>,
}

async fn load(
    infra: &Infra,
    timeline: Timeline,
    before: Option<i64>,
) -> Result<(Vec<Shown>, Option<i64>), common::ApiError> {
    let mut rows = db::run(&infra.pool, move |conn| {
        Ok(messages::timeline(conn, timeline, before, PER_PAGE + 1)?)
    })
    .await?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    Ok((
        rows.clone(),
        more.then(|| rows.last().map(|m| m.id)).flatten(),
    ))
}

fn older_link(path: &str, older: Option<i64>) -> String {
    older
        .map(|id| {
            format!("<a class=\"older\" href=\"{path}?before={id}\">Older messages &rarr;</a>")
        })
        .unwrap_or_default()
}

fn render(
    config: &WebConfig,
    req: &HttpRequest,
    title: &str,
    viewer: Option<&User>,
    above: &str,
    list: &[Shown],
    more: String,
) -> actix_web::HttpResponse {
    let body = format!(
        "<h2>{}</h2>\n{above}{}{more}",
        escape(title),
        html::messages(list)
    );
    let flashes = session::flashes(req);
    session::page(
        config,
        req,
        StatusCode::OK,
        html::layout(title, viewer, &flashes, &body),
    )
}

pub async fn home(
    req: HttpRequest,
    infra: web::Data<Infra>,
    config: web::Data<WebConfig>,
    older: web::Query<Older>,
) -> PageResult {
    let Some(viewer) = session::viewer(&infra, &req).await? else {
        return Ok(redirect_with_flash(&config, "/public", None).finish());
    };
    let (list, more) = load(&infra, Timeline::Home(viewer.id), older.before).await?;
    let twitbox = format!(
        "<div class=\"twitbox\"><h3>What&#39;s on your mind {}?</h3>\
         <form action=\"/add_message\" method=\"post\">\
         <input type=\"text\" name=\"text\" size=\"60\" maxlength=\"1000\">\
         <div class=\"actions\"><input type=\"submit\" value=\"Share\"></div></form></div>\n",
        escape(&viewer.username)
    );
    Ok(render(
        &config,
        &req,
        "My Timeline",
        Some(&viewer),
        &twitbox,
        &list,
        older_link("/", more),
    ))
}

pub async fn public(
    req: HttpRequest,
    infra: web::Data<Infra>,
    config: web::Data<WebConfig>,
    older: web::Query<Older>,
) -> PageResult {
    let viewer = session::viewer(&infra, &req).await?;
    let (list, more) = load(&infra, Timeline::Public, older.before).await?;
    Ok(render(
        &config,
        &req,
        "Public Timeline",
        viewer.as_ref(),
        "",
        &list,
        older_link("/public", more),
    ))
}

pub async fn of_user(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    config: web::Data<WebConfig>,
    username: web::Path<String>,
    older: web::Query<Older>,
) -> PageResult {
    let viewer = session::viewer(&infra, &req).await?;
    let Some(profile) = lookup::by_name(&infra, &state, &username).await? else {
        return Ok(error_page(
            &config,
            &req,
            StatusCode::NOT_FOUND,
            "There is no such user.",
        ));
    };
    let (list, more) = load(&infra, Timeline::Author(profile.id), older.before).await?;
    let mut status = String::new();
    if let Some(viewer) = &viewer {
        let link = path_segment(&profile.username);
        if viewer.id == profile.id {
            status.push_str("<div class=\"followstatus\">This is you!</div>\n");
        } else {
            let (who, whom) = (viewer.id, profile.id);
            let followed = db::run(&infra.pool, move |conn| {
                Ok(follows::is_following(conn, who, whom)?)
            })
            .await?;
            let _ = if followed {
                writeln!(
                    status,
                    "<div class=\"followstatus\">You are currently following this user. \
                     <a class=\"unfollow\" href=\"/{link}/unfollow\">Unfollow user</a>.</div>"
                )
            } else {
                writeln!(
                    status,
                    "<div class=\"followstatus\">You are not yet following this user. \
                     <a class=\"follow\" href=\"/{link}/follow\">Follow user</a>.</div>"
                )
            };
        }
    }
    let title = format!("{}'s Timeline", profile.username);
    let path = format!("/{}", path_segment(&profile.username));
    Ok(render(
        &config,
        &req,
        &title,
        viewer.as_ref(),
        &status,
        &list,
        older_link(&path, more),
    ))
}
