//! Through the real nginx, with the project's own config.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::{EventTap, Nginx};

use crate::support::spawn_app;

#[tokio::test]
async fn register_login_and_me_through_nginx_publish_user_registered() {
    let app = spawn_app().await;
    let nginx = Nginx::start([app.port, 0, 0, 0]);
    let mut tap = EventTap::bind(&app.iso.exchange, "auth.user.registered").await;
    let http = &app.http;
    let at = |path: &str| format!("{}{}", nginx.url(), path);

    let registered = http
        .post(at("/v1/register"))
        .header("host", "auth.localhost")
        .json(&json!({"username": "Edge Case", "email": "edge@example.org", "password": "through nginx"}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);
    assert_eq!(
        registered.headers()["x-request-id"].len(),
        32,
        "nginx made a request id"
    );

    let session: Value = http
        .post(at("/v1/login"))
        .header("host", "auth.localhost")
        .json(&json!({"username": "edge@example.org", "password": "through nginx"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let me: Value = http
        .get(at("/v1/me"))
        .header("host", "auth.localhost")
        .bearer_auth(session["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "Edge Case");

    let event = tap
        .next(Duration::from_secs(10))
        .await
        .expect("auth.user.registered on RabbitMQ");
    assert_eq!(event.data["user_id"], me["id"]);

    let metrics = http
        .get(at("/metrics"))
        .header("host", "auth.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(
        metrics.status(),
        StatusCode::NOT_FOUND,
        "metrics are not public"
    );
    let unknown = http
        .get(at("/healthz"))
        .header("host", "elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

/// nginx's edge limit on login: a burst past the budget from one address gets
/// 429 with a problem+json body and Retry-After, without reaching auth; other
/// routes of the same address are not limited.
#[tokio::test]
async fn a_login_flood_is_refused_at_the_edge() {
    let app = spawn_app().await;
    let nginx = Nginx::start_with(
        [app.port, 0, 0, 0],
        &[("NGINX_RATE_LOGIN", "1r/m"), ("NGINX_BURST_LOGIN", "20")],
    );
    let http = &app.http;
    let login = || {
        http.post(format!("{}/v1/login", nginx.url()))
            .header("host", "auth.localhost")
            .json(&json!({"username": "nobody@example.org", "password": "wrong password"}))
            .send()
    };
    // Burst 20 beyond the first: 21 reach auth (which refuses the password,
    // and soon locks the account itself), the rest are stopped by nginx.
    let mut stopped_at_edge = Vec::new();
    for _ in 0..25 {
        let answer = login().await.unwrap();
        let retry_after = answer.headers().get("retry-after").cloned();
        let body: Value = answer.json().await.unwrap();
        let edge =
            body["detail"] == "too many requests from your address; wait a second and try again";
        if edge {
            assert_eq!(body["status"], 429);
            assert_eq!(retry_after.unwrap(), "1");
        }
        stopped_at_edge.push(edge);
    }
    assert_eq!(
        stopped_at_edge,
        [[false; 21].as_slice(), &[true; 4]].concat()
    );

    let jwks = http
        .get(format!("{}/.well-known/jwks.json", nginx.url()))
        .header("host", "auth.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(
        jwks.status(),
        StatusCode::OK,
        "only the login routes are limited"
    );
}
