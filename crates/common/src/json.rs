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
    // Every body is an object, or `null` for an optional one (serde would
    // also read a struct from an array of its fields in order, which no
    // client means).
    let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
    if first.is_some_and(|byte| *byte != b'{') && first != Some(&b'n') {
        return Err(ApiError::bad_request(
            "invalid JSON body: expected a JSON object ({...})",
        ));
    }
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

/// For `#[serde(deserialize_with)]`: a whole number that may arrive as
/// `10.0`, which JSON (and JSON Schema) count as the integer 10.
pub fn whole_i32<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    use serde::Deserialize;
    to_i32(serde_json::Number::deserialize(deserializer)?)
}

/// Like [`whole_i32`], for an optional field (use with `#[serde(default)]`).
pub fn optional_whole_i32<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i32>, D::Error> {
    use serde::Deserialize;
    Option::<serde_json::Number>::deserialize(deserializer)?
        .map(to_i32)
        .transpose()
}

fn to_i32<E: serde::de::Error>(number: serde_json::Number) -> Result<i32, E> {
    let whole = match number.as_i64() {
        Some(integer) => i32::try_from(integer).ok(),
        None => number
            .as_f64()
            .filter(|value| value.fract() == 0.0)
            .filter(|value| (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(value))
            .map(|value| value as i32),
    };
    whole.ok_or_else(|| {
        E::custom(format!(
            "expected a whole number from {} to {}, not {number}",
            i32::MIN,
            i32::MAX
        ))
    })
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
    fn a_whole_number_may_come_with_a_zero_fraction() {
        #[derive(Debug, serde::Deserialize)]
        struct Capacity {
            #[serde(deserialize_with = "whole_i32")]
            capacity: i32,
            #[serde(default, deserialize_with = "optional_whole_i32")]
            limit: Option<i32>,
        }
        let parsed: Capacity = parse(br#"{"capacity": 10.0, "limit": 3}"#).unwrap();
        assert_eq!((parsed.capacity, parsed.limit), (10, Some(3)));
        let absent: Capacity = parse(br#"{"capacity": 7}"#).unwrap();
        assert_eq!(absent.limit, None);
        for bad in [
            r#"{"capacity": 1.5}"#,
            r#"{"capacity": 2147483648}"#,
            r#"{"capacity": "1"}"#,
        ] {
            let refused = parse::<Capacity>(bad.as_bytes()).unwrap_err();
            assert!(
                refused.errors.is_some_and(|e| e.contains_key("capacity")),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_body_is_an_object_not_an_array_of_the_fields() {
        let array = refusal(r#"["t", []]"#);
        assert!(
            array.detail.contains("expected a JSON object"),
            "{}",
            array.detail
        );
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
