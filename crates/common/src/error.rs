//! One error shape for every service: RFC 9457 problem details.
//!
//! 4xx carry a precise, actionable message. Anything unexpected becomes an opaque
//! 500 whose cause is logged (and so reaches Sentry), never sent to the client.

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// Field name to the messages about it.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// The stable, machine-readable reason: a service's refusal code, or
    /// one that follows from the status (`not_found`, `invalid_fields`).
    pub code: &'static str,
    pub detail: String,
    pub errors: Option<FieldErrors>,
    /// Seconds for a `Retry-After` header (429, 503).
    pub retry_after: Option<u64>,
    /// The hidden cause of a 5xx, for the log only.
    cause: Option<String>,
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    code: &'a str,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a FieldErrors>,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            code: status_code(status),
            detail: detail.into(),
            errors: None,
            retry_after: None,
            cause: None,
        }
    }
    /// A service's refusal: its stable `code` for programs, `message` for
    /// the person.
    pub fn refused(
        status: StatusCode,
        code: &'static str,
        message: impl std::fmt::Display,
    ) -> Self {
        Self {
            code,
            ..Self::new(status, message.to_string())
        }
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, detail)
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, detail)
    }
    pub fn too_many(detail: impl Into<String>, retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, detail)
        }
    }
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self {
            retry_after: Some(1),
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, detail)
        }
    }
    /// 422 with per-field messages.
    pub fn validation(errors: FieldErrors) -> Self {
        Self {
            errors: Some(errors),
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "some fields are invalid; see errors",
            )
        }
    }
    /// 422 for one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(FieldErrors::from([(
            field.to_owned(),
            vec![message.into()],
        )]))
    }
    /// An opaque 500; `cause` is logged, never shown.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self {
            cause: Some(cause.to_string()),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "an unexpected error occurred",
            )
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if self.status.is_server_error() {
            tracing::error!(status = self.status.as_u16(), cause = ?self.cause, "request failed");
        } else {
            tracing::info!(status = self.status.as_u16(), detail = %self.detail, "request rejected");
        }
        let body = Problem {
            kind: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            code: self.code,
            detail: &self.detail,
            errors: self.errors.as_ref(),
        };
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.body(serde_json::to_string(&body).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => Self::not_found("no such resource"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::conflict(taken(info.table_name(), info.constraint_name()))
            }
            Error::DatabaseError(_, ref info) if refuses_nul(info.message()) => {
                Self::bad_request(NUL_REFUSED)
            }
            other => Self::internal(other),
        }
    }
}

/// The codes that follow from a status alone, with what they mean; a
/// service's refusals add their own.
pub const STATUS_CODES: &[(&str, &str)] = &[
    (
        "bad_request",
        "the request cannot be read; the detail says what is wrong",
    ),
    (
        "unauthorized",
        "no valid credentials: log in, or refresh the token",
    ),
    ("forbidden", "the caller may not do this"),
    ("not_admin", "only administrators may do this"),
    ("users_only", "for users (people), not API clients"),
    (
        "not_found",
        "nothing by that name or id (or not visible to the caller)",
    ),
    (
        "method_not_allowed",
        "the path takes other methods (see Allow)",
    ),
    ("conflict", "the request conflicts with what exists"),
    (
        "payload_too_large",
        "the body is larger than the route takes",
    ),
    (
        "unsupported_media_type",
        "the body's type is not one the route takes",
    ),
    (
        "invalid_fields",
        "some fields are invalid; `errors` names them",
    ),
    (
        "too_many_requests",
        "slow down; Retry-After says when to try again",
    ),
    (
        "internal_error",
        "something failed on our side; it is logged",
    ),
    (
        "unavailable",
        "a dependency is busy or down; Retry-After says when to try again",
    ),
    ("client_error", "another client error"),
    ("server_error", "another server error"),
];

/// The code for a status without a more precise one.
pub fn status_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "invalid_fields",
        429 => "too_many_requests",
        500 => "internal_error",
        503 => "unavailable",
        status if status >= 500 => "server_error",
        _ => "client_error",
    }
}

/// What a client is told when its text holds a NUL character.
pub const NUL_REFUSED: &str =
    "text must not contain the NUL character (\\u0000 or %00); remove it and send again";

/// PostgreSQL's refusal of a NUL character in text (22021) or in JSON text
/// (22P05): text a client sent that no column can store.
fn refuses_nul(message: &str) -> bool {
    (message.contains("invalid byte sequence") && message.contains("0x00"))
        || message.contains("\\u0000 cannot be converted to text")
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        tracing::warn!(%error, "database pool exhausted or unreachable");
        Self::unavailable("the database is busy; try again shortly")
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::internal(error)
    }
}

/// Collects field errors while validating a request body.
#[derive(Default)]
pub struct Validator {
    errors: FieldErrors,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }
    /// Records `message` for `field` when `ok` is false.
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) -> &mut Self {
        if !ok {
            self.errors
                .entry(field.to_owned())
                .or_default()
                .push(message.into());
        }
        self
    }
    /// 422 with every collected message, or Ok when there were none.
    pub fn finish(&mut self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(std::mem::take(&mut self.errors)))
        }
    }
}

/// JSON, query and path extractor errors as problem details naming what was wrong.
/// What a unique violation means to a person, without the constraint's name:
/// `<table>_<column>_key` names the field that is taken.
fn taken(table: Option<&str>, constraint: Option<&str>) -> String {
    let column = match (table, constraint) {
        (Some(table), Some(constraint)) => constraint
            .strip_prefix(table)
            .and_then(|rest| rest.strip_prefix('_'))
            .and_then(|rest| rest.strip_suffix("_key"))
            .map(|column| column.replace('_', " ")),
        _ => None,
    };
    match column {
        Some(column) => format!("this {column} is already taken; choose another"),
        None => "this already exists".to_owned(),
    }
}

/// serde's message without where in the text it stopped (`at line 1 column 9`).
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

pub fn extractor_configs(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.app_data(
        web::JsonConfig::default()
            .limit(256 * 1024)
            .error_handler(|err, _| {
                let detail = match &err {
                    actix_web::error::JsonPayloadError::ContentType => {
                        "expected a JSON body with Content-Type: application/json".to_owned()
                    }
                    actix_web::error::JsonPayloadError::Overflow { .. }
                    | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                        "the request body is too large".to_owned()
                    }
                    actix_web::error::JsonPayloadError::Deserialize(error) => {
                        format!("invalid JSON body: {}", without_position(error))
                    }
                    _ => "the JSON body could not be read".to_owned(),
                };
                ApiError::bad_request(detail).into()
            }),
    )
    // Bodies read by `common::Json` (as bytes) have the same limit.
    .app_data(web::PayloadConfig::new(256 * 1024))
    .app_data(web::QueryConfig::default().error_handler(|err, _| {
        ApiError::bad_request(format!("invalid query string: {err}")).into()
    }))
    .app_data(web::PathConfig::default().error_handler(|err, req| {
        // `/v1/messages/flagged` with DELETE reaches `/v1/messages/{id}`'s
        // route; the documented path it names takes other methods.
        let routes = req.app_data::<web::Data<crate::openapi_errors::Routes>>();
        if let Some(allowed) = routes.and_then(|routes| routes.allowed(req.path())) {
            if !allowed
                .split(", ")
                .any(|method| method == req.method().as_str())
            {
                let response = crate::openapi_errors::method_not_allowed(req, &allowed);
                return actix_web::error::InternalError::from_response(err, response).into();
            }
        }
        ApiError::not_found(format!("invalid path: {err}")).into()
    }))
    .app_data(
        web::FormConfig::default().error_handler(|err, _| {
            ApiError::bad_request(format!("invalid form body: {err}")).into()
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_value_names_its_field_not_the_constraint() {
        assert_eq!(
            taken(Some("groups"), Some("groups_slug_key")),
            "this slug is already taken; choose another"
        );
        assert_eq!(
            taken(Some("users"), Some("users_pkey")),
            "this already exists"
        );
        assert_eq!(taken(None, None), "this already exists");
    }

    #[test]
    fn json_errors_leave_out_the_parsers_position() {
        let error =
            serde_json::from_str::<std::collections::HashMap<String, String>>("{\"text\": 5}")
                .unwrap_err();
        let message = without_position(&error);
        assert!(!message.contains("line"), "{message}");
        assert!(message.contains("expected a string"), "{message}");
    }
}
