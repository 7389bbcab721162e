//! Strikes: mine, a user's (managers), give and remove (managers; strikes
//! are never edited).

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use common::list::{CsvRow, ListParams, ListRequest};
use common::{db, ApiError, AuthUser, Infra, Validator};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::models::StrikeRow;
use crate::db::{events, strikes as queries};
use crate::domain::permissions::require_strike_manager;
use crate::domain::refusal::Refusal;
use crate::domain::{members, strikes, validate};
use crate::state::EventsState;

/// A strike as clients see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StrikeView {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub points: i32,
    pub description: String,
    pub event_id: Option<Uuid>,
    pub event_title: Option<String>,
    pub given_at: DateTime<Utc>,
    /// When it stops counting (20 days, extended by the freezes).
    pub expires_at: DateTime<Utc>,
    pub active: bool,
}

impl StrikeView {
    fn of(row: StrikeRow, now: DateTime<Utc>) -> Self {
        Self {
            active: strikes::is_active(row.expires_at, now),
            id: row.id,
            user_id: row.user_id,
            kind: row.kind,
            points: row.points,
            description: row.description,
            event_id: row.event_id,
            event_title: row.event_title,
            given_at: row.given_at,
            expires_at: row.expires_at,
        }
    }
}

impl CsvRow for StrikeView {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "user_id",
            "kind",
            "points",
            "event_title",
            "given_at",
            "expires_at",
            "active",
        ]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.user_id.to_string(),
            self.kind.clone(),
            self.points.to_string(),
            self.event_title.clone().unwrap_or_default(),
            self.given_at.to_rfc3339(),
            self.expires_at.to_rfc3339(),
            self.active.to_string(),
        ]
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StrikeQuery {
    /// Also strikes that no longer count.
    #[serde(default)]
    pub all: bool,
}

async fn list(
    req: &HttpRequest,
    infra: &Infra,
    caller: &AuthUser,
    user_id: Uuid,
    params: ListParams,
    all: bool,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params, queries::SORT_FIELDS, "-given_at", req)?;
    request.authorize_export(Some(caller))?;
    let list = request.clone();
    let now = Utc::now();
    let (rows, total) = db::run(&infra.pool, move |conn| {
        Ok(queries::of_user(conn, user_id, all, now, &list)?)
    })
    .await?;
    let items: Vec<StrikeView> = rows.into_iter().map(|r| StrikeView::of(r, now)).collect();
    Ok(request.respond(items, total))
}

#[utoipa::path(tag = "strikes", params(ListParams, StrikeQuery, ("sort" = Option<String>, Query, pattern = "^([-+]?(given_at|expires_at|points)(,[-+]?(given_at|expires_at|points))*)?$", description = "Comma-separated sort fields, `-` first for descending: given_at, expires_at, points.")), security(("bearer" = [])),
    responses((status = 200, description = "a page of my active strikes (all with all=true)"), (status = 401)))]
#[get("/v1/me/strikes")]
pub async fn my_strikes(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: AuthUser,
    params: web::Query<ListParams>,
    query: web::Query<StrikeQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    list(
        &req,
        &infra,
        &caller,
        caller.id,
        params.into_inner(),
        query.all,
    )
    .await
}

#[utoipa::path(tag = "strikes", params(ListParams, StrikeQuery, ("sort" = Option<String>, Query, pattern = "^([-+]?(given_at|expires_at|points)(,[-+]?(given_at|expires_at|points))*)?$", description = "Comma-separated sort fields, `-` first for descending: given_at, expires_at, points.")), security(("bearer" = [])),
    responses((status = 200, description = "a page of the user's active strikes (all with all=true)"),
              (status = 401), (status = 403)))]
#[get("/v1/users/{id}/strikes")]
pub async fn user_strikes(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    params: web::Query<ListParams>,
    query: web::Query<StrikeQuery>,
) -> Result<HttpResponse, ApiError> {
    require_strike_manager(&caller)?;
    list(
        &req,
        &infra,
        &caller,
        id.into_inner(),
        params.into_inner(),
        query.all,
    )
    .await
}

/// A strike to give.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStrike {
    pub user_id: Uuid,
    /// `past_deadline` (1 point), `no_show` (2), `late` (1), `bad_behaviour` (1), `eval_form` (3).
    #[schema(pattern = "^(past_deadline|no_show|late|bad_behaviour|eval_form)$")]
    pub kind: String,
    #[schema(max_length = 2000)]
    pub description: String,
    pub event_id: Option<Uuid>,
}

#[utoipa::path(tag = "strikes", request_body = NewStrike, security(("bearer" = [])),
    responses((status = 201, body = StrikeView), (status = 401), (status = 403),
              (status = 409, description = "a second past_deadline strike for the same event"),
              (status = 422)))]
#[post("/v1/strikes")]
pub async fn give_strike(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    body: common::Json<NewStrike>,
) -> Result<HttpResponse, ApiError> {
    require_strike_manager(&caller)?;
    let new = body.into_inner();
    let mut v = Validator::new();
    v.check(
        strikes::points_of(&new.kind).is_some(),
        "kind",
        format!(
            "must be one of {}",
            strikes::KINDS
                .iter()
                .map(|(k, _)| *k)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    validate::text(&mut v, "description", &new.description, 2000);
    v.finish()?;
    let (manager, zone, user_id) = (caller.id, state.settings.time_zone, new.user_id);
    let now = Utc::now();
    let row = infra
        .transaction(move |conn| {
            let event = match new.event_id {
                Some(id) => Some(
                    events::find(conn, id)?
                        .ok_or_else(|| ApiError::field("event_id", "no such event"))?,
                ),
                None => None,
            };
            strikes::give(
                conn,
                strikes::Given {
                    user_id: new.user_id,
                    kind: &new.kind,
                    description: new.description.trim(),
                    event: event.as_ref(),
                    given_by: Some(manager),
                    now,
                    zone,
                },
            )?
            .ok_or_else(|| ApiError::from(Refusal::StrikeExists))
        })
        .await?;
    infra
        .transaction(move |conn| members::recompute_priority(conn, user_id, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(StrikeView::of(row, now)))
}

#[utoipa::path(tag = "strikes", security(("bearer" = [])),
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/strikes/{id}")]
pub async fn remove_strike(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_strike_manager(&caller)?;
    let id = id.into_inner();
    let user_id = db::run(&infra.pool, move |conn| {
        let strike =
            queries::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such strike"))?;
        queries::delete(conn, id)?;
        Ok(strike.user_id)
    })
    .await?;
    infra
        .transaction(move |conn| members::recompute_priority(conn, user_id, Utc::now()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
