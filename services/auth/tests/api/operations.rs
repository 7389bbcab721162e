use reqwest::StatusCode;
use serde_json::Value;

use crate::support::spawn_app;

#[tokio::test]
async fn health_readiness_and_openapi_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status(), StatusCode::OK);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["database"], "up");
    assert_eq!(ready["redis"], "up");
    let openapi: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    assert!(
        openapi["paths"]["/v1/login"]["post"].is_object(),
        "{openapi}"
    );
    assert!(openapi["paths"]["/v1/groups/{slug}/members"].is_object());
    testkit::assert_documented_routes_exist(app.port).await;
}

#[tokio::test]
async fn metrics_are_labelled_by_route_template() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let person = app.person("Counted").await;
    app.get(
        &format!("/v1/users/{}", person.id),
        Some(&admin.session.access_token),
    )
    .await;
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    assert!(
        metrics.contains(r#"http_requests_total{method="GET",route="/v1/users/{id}",status="200""#),
        "{metrics}"
    );
    assert!(
        !metrics.contains(&person.id.to_string()),
        "raw paths must not become labels"
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
    assert!(metrics.contains("db_pool_connections"));
    assert!(metrics.contains(r#"business_events_total{kind="user_registered""#));
}

#[tokio::test]
async fn request_ids_are_kept_or_made_and_unknown_routes_are_problems() {
    let app = spawn_app().await;
    let echoed = app
        .http
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "abc-123");
    let made = app.get("/healthz", None).await;
    assert_eq!(made.headers()["x-request-id"].len(), 32);
    let missing = app.get("/v1/nothing-here", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.headers()["content-type"],
        "application/problem+json"
    );
}
