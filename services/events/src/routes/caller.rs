//! Who is calling and what they may do, for the handlers.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use common::{db, ApiError, AuthUser, Infra};
use uuid::Uuid;

use crate::db::forms::{self, FormRow};
use crate::db::members;
use crate::db::models::{EventRow, GroupRow};
use crate::domain::members as projection;
use crate::domain::permissions::{self, MemberOf};
use crate::state::EventsState;

/// The bearer token the caller was authenticated with (for asking auth on
/// their behalf).
pub fn token(req: &HttpRequest) -> String {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .map(|(_, token)| token.trim().to_owned())
        .unwrap_or_default()
}

/// The caller's current memberships (from the copy, fetched on a miss).
pub async fn memberships(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    req: &HttpRequest,
) -> Result<Vec<MemberOf>, ApiError> {
    projection::of_caller(infra, state, caller, &token(req)).await
}

/// The organizer group of an event.
pub async fn organizer_of(infra: &Infra, event: &EventRow) -> Result<GroupRow, ApiError> {
    let id = event.organizer_id;
    db::run(&infra.pool, move |conn| {
        members::groups_by_id(conn, &[id])?
            .pop()
            .ok_or_else(|| ApiError::internal("an event's organizer group is unknown"))
    })
    .await
}

/// 403 unless the caller writes events of `organizer`.
pub async fn require_writer(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    req: &HttpRequest,
    organizer: &GroupRow,
) -> Result<(), ApiError> {
    caller.require_user()?;
    if caller.is_admin() {
        return Ok(());
    }
    let memberships = memberships(infra, state, caller, req).await?;
    permissions::require_writer(caller, &memberships, organizer)
}

/// The event (404 if none) after checking the caller writes it.
pub async fn written_event(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    req: &HttpRequest,
    id: Uuid,
) -> Result<EventRow, ApiError> {
    let event = find_event(infra, id).await?;
    let organizer = organizer_of(infra, &event).await?;
    require_writer(infra, state, caller, req, &organizer).await?;
    Ok(event)
}

/// The event, 404 if none.
pub async fn find_event(infra: &Infra, id: Uuid) -> Result<EventRow, ApiError> {
    db::run(&infra.pool, move |conn| {
        crate::db::events::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such event"))
    })
    .await
}

/// The path of every `/v1/events/{id}/...` route.
#[derive(serde::Deserialize)]
struct EventPath {
    id: Uuid,
}

/// A caller who writes the event named by the path's `{id}`, with that
/// event (read without a lock): 401 without a token, 404 when there is no
/// such event, 403 `not_writer` for anyone else.
pub struct EventWriter {
    pub caller: AuthUser,
    pub event: EventRow,
}

impl FromRequest for EventWriter {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = AuthUser::extract(&req).await?;
            let id = web::Path::<EventPath>::extract(&req).await?.id;
            let (Some(infra), Some(state)) = (
                req.app_data::<web::Data<Infra>>(),
                req.app_data::<web::Data<EventsState>>(),
            ) else {
                return Err(ApiError::internal("the events service's state is missing").into());
            };
            let event = written_event(infra, state, &caller, &req, id).await?;
            Ok(Self { caller, event })
        })
    }
}

/// The path of every `/v1/forms/{form_id}/...` route.
#[derive(serde::Deserialize)]
struct FormPath {
    form_id: Uuid,
}

/// A caller who writes the event of the form named by the path's
/// `{form_id}`, with that form: 401 without a token, 404 when there is no
/// such form, 403 `not_writer` for anyone else.
pub struct FormWriter {
    pub caller: AuthUser,
    pub form: FormRow,
}

impl FromRequest for FormWriter {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = AuthUser::extract(&req).await?;
            let form_id = web::Path::<FormPath>::extract(&req).await?.form_id;
            let (Some(infra), Some(state)) = (
                req.app_data::<web::Data<Infra>>(),
                req.app_data::<web::Data<EventsState>>(),
            ) else {
                return Err(ApiError::internal("the events service's state is missing").into());
            };
            let form = db::run(&infra.pool, move |conn| {
                forms::find(conn, form_id)?.ok_or_else(|| ApiError::not_found("no such form"))
            })
            .await?;
            written_event(infra, state, &caller, &req, form.event_id).await?;
            Ok(Self { caller, form })
        })
    }
}
