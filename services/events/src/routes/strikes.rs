//! Strikes: mine, a user's (managers), give and remove (managers; strikes
//! are never edited).

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{ApiError, AuthUser, Infra};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::strikes as queries;
use crate::domain::actions::strikes::{self, Strike};
use crate::domain::permissions::require_strike_manager;
use crate::state::EventsState;
use crate::views::StrikeView;

#[derive(Debug, Deserialize, IntoParams)]
pub struct StrikeQuery {
    /// Also strikes that no longer count.
    #[serde(default)]
    pub all: bool,
}

/// A user's strikes, as a page (or CSV).
async fn list(
    req: &HttpRequest,
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    user_id: Uuid,
    params: ListParams,
    all: bool,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params, queries::SORT_FIELDS, "-given_at", req)?;
    request.authorize_export(Some(caller))?;
    let now = state.settings.clock.now();
    let (items, total) = strikes::strikes_of(infra, user_id, all, request.clone(), now).await?;
    Ok(request.respond(items, total))
}

#[utoipa::path(tag = "strikes", params(ListParams, StrikeQuery, ("sort" = Option<String>, Query, pattern = "^([-+]?(given_at|expires_at|points)(,[-+]?(given_at|expires_at|points))*)?$", description = "Comma-separated sort fields, `-` first for descending: given_at, expires_at, points.")), security(("bearer" = [])),
    responses((status = 200, description = "a page of my active strikes (all with all=true)"), (status = 401)))]
#[get("/v1/me/strikes")]
pub async fn my_strikes(
    req: HttpRequest,
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    params: web::Query<ListParams>,
    query: web::Query<StrikeQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    list(
        &req,
        &infra,
        &state,
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
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    params: web::Query<ListParams>,
    query: web::Query<StrikeQuery>,
) -> Result<HttpResponse, ApiError> {
    require_strike_manager(&caller)?;
    list(
        &req,
        &infra,
        &state,
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
    let strike = Strike {
        user_id: new.user_id,
        kind: new.kind,
        description: new.description,
        event_id: new.event_id,
    };
    let now = state.settings.clock.now();
    let view = strikes::give_strike(&infra, &state, &caller, strike, now).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "strikes", security(("bearer" = [])),
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
#[delete("/v1/strikes/{id}")]
pub async fn remove_strike(
    infra: web::Data<Infra>,
    state: web::Data<EventsState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_strike_manager(&caller)?;
    let now = state.settings.clock.now();
    strikes::remove_strike(&infra, id.into_inner(), now).await?;
    Ok(HttpResponse::NoContent().finish())
}
