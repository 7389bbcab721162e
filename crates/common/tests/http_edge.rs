//! The HTTP edge every service shares, in-process (`actix_web::test`, no
//! sockets or broker): bad bodies, query strings and paths become problem+json
//! answers a person can act on, never a 500 or actix's plain-text errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::StatusCode;
use actix_web::{test, web, App, HttpResponse};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Body {
    #[allow(dead_code)]
    text: String,
}

#[derive(Deserialize)]
struct Page {
    #[allow(dead_code)]
    page: i64,
}

async fn accepts(_: web::Json<Body>) -> HttpResponse {
    HttpResponse::NoContent().finish()
}

async fn pages(_: web::Query<Page>) -> HttpResponse {
    HttpResponse::NoContent().finish()
}

async fn by_id(_: web::Path<i64>) -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// Status and problem body of one request.
async fn answer(request: test::TestRequest) -> (StatusCode, Value) {
    let app = test::init_service(
        App::new()
            .configure(common::error::extractor_configs)
            .route("/things", web::post().to(accepts))
            .route("/things", web::get().to(pages))
            .route("/things/{id}", web::get().to(by_id)),
    )
    .await;
    let response = test::call_service(&app, request.to_request()).await;
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = test::read_body_json(response).await;
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    (status, body)
}

#[actix_web::test]
async fn malformed_json_names_what_is_wrong() {
    let (status, problem) = answer(
        test::TestRequest::post()
            .uri("/things")
            .insert_header(("content-type", "application/json"))
            .set_payload("{\"text\": 5}"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON body"),
        "{problem}"
    );
    assert_eq!(problem["status"], 400);
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("expected a string"), "{detail}");
    assert!(!detail.contains("line"), "no parser position: {detail}");
}

#[actix_web::test]
async fn a_body_without_json_content_type_says_which_is_expected() {
    let (status, problem) = answer(
        test::TestRequest::post()
            .uri("/things")
            .insert_header(("content-type", "text/plain"))
            .set_payload("{\"text\": \"hi\"}"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("application/json"),
        "{problem}"
    );
}

#[actix_web::test]
async fn an_oversized_body_is_refused_as_too_large() {
    let big = format!("{{\"text\": \"{}\"}}", "x".repeat(300 * 1024));
    let (status, problem) = answer(
        test::TestRequest::post()
            .uri("/things")
            .insert_header(("content-type", "application/json"))
            .set_payload(big),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"].as_str().unwrap().contains("too large"),
        "{problem}"
    );
}

#[actix_web::test]
async fn bad_query_strings_and_paths_are_problems() {
    let (status, problem) = answer(test::TestRequest::get().uri("/things?page=first")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("invalid query string"),
        "{problem}"
    );
    let (status, problem) = answer(test::TestRequest::get().uri("/things/%00")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("invalid path"),
        "{problem}"
    );
}
