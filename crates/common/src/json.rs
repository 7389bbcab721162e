//! A JSON body extractor whose errors name the field at fault
//! (`title: invalid type: integer `5`, expected a string`), with the field in
//! the problem's `errors`, and never the parser's position in the text.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::{without_position, ApiError, FieldErrors};

/// The body, read as `T`. Use it like `web::Json`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// `application/json`, or any `+json` type (`application/merge-patch+json`).
fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"))
}

/// Reads `bytes` as `T`, naming the field at fault when it cannot.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = without_position(error.inner());
        if path == "." || path.is_empty() {
            ApiError::bad_request(format!("invalid JSON body: {message}"))
        } else {
            let mut problem =
                ApiError::bad_request(format!("invalid JSON body: {path}: {message}"));
            problem.errors = Some(FieldErrors::from([(path, vec![message])]));
            problem
        }
    })?;
    deserializer.end().map_err(|e| {
        ApiError::bad_request(format!("invalid JSON body: {}", without_position(&e)))
    })?;
    Ok(value)
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(ApiError::bad_request(
                    "expected a JSON body with Content-Type: application/json",
                )
                .into());
            }
            let bytes = body.await.map_err(|_| {
                ApiError::bad_request("the request body is too large or could not be read")
            })?;
            Ok(Json(parse(&bytes)?))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Event {
        title: String,
        pools: Vec<Vec<String>>,
    }

    fn refusal(body: &str) -> ApiError {
        parse::<Event>(body.as_bytes()).expect_err("refused")
    }

    #[test]
    fn errors_name_the_field_at_fault() {
        let wrong = refusal(r#"{"title": 5, "pools": []}"#);
        assert_eq!(
            wrong.detail,
            "invalid JSON body: title: invalid type: integer `5`, expected a string"
        );
        assert!(wrong
            .errors
            .as_ref()
            .is_some_and(|e| e.contains_key("title")));
        let nested = refusal(r#"{"title": "t", "pools": [["a", 7]]}"#);
        assert!(
            nested
                .errors
                .as_ref()
                .is_some_and(|e| e.contains_key("pools[0][1]")),
            "{}",
            nested.detail
        );
        let missing = refusal(r#"{"pools": []}"#);
        assert!(
            missing.detail.contains("missing field `title`"),
            "{}",
            missing.detail
        );
        let typo = refusal(r#"{"titel": "t", "pools": []}"#);
        assert!(
            typo.detail.contains("unknown field `titel`"),
            "{}",
            typo.detail
        );
        for body in [r#"{"title": "t", "pools": []} trailing"#, "{not json", ""] {
            let bad = refusal(body);
            assert!(!bad.detail.contains("line 1"), "{}", bad.detail);
            assert_eq!(bad.status, actix_web::http::StatusCode::BAD_REQUEST);
        }
        assert!(parse::<Event>(br#"{"title": "t", "pools": [["a"]]}"#).is_ok());
    }
}
