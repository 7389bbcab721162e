//! Who is calling and what they may do, for the handlers.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use common::{ApiError, AuthUser, Infra};
use uuid::Uuid;

use crate::db::forms::FormRow;
use crate::db::models::EventRow;
use crate::domain::writers;
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

/// The service's state, as the extractors need it.
fn app_state(req: &HttpRequest) -> Result<(web::Data<Infra>, web::Data<EventsState>), ApiError> {
    match (
        req.app_data::<web::Data<Infra>>(),
        req.app_data::<web::Data<EventsState>>(),
    ) {
        (Some(infra), Some(state)) => Ok((infra.clone(), state.clone())),
        _ => Err(ApiError::internal("the events service's state is missing")),
    }
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
            let (infra, state) = app_state(&req)?;
            let event = writers::written_event(&infra, &state, &caller, &token(&req), id).await?;
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
            let (infra, state) = app_state(&req)?;
            let form =
                writers::written_form(&infra, &state, &caller, &token(&req), form_id).await?;
            Ok(Self { caller, form })
        })
    }
}
