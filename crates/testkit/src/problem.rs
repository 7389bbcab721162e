//! Asserting a refusal the way a client reads one: by status and `code`.

use reqwest::Response;
use serde_json::Value;

/// Asserts `response` is a problem with `status` and `code`, and returns its
/// body (for a look at `detail` or `errors`).
pub async fn refused_with(response: Response, status: u16, code: &str) -> Value {
    let got = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    assert_eq!(content_type, "application/problem+json", "{body}");
    assert_eq!(body["code"], code, "{body}");
    body
}
