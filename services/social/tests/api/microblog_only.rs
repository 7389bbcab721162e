//! Accounts made by MiniTwit registration (the simulator API and the web
//! `/register`) follow the microblog's password rules and skip approval, so
//! their tokens are good for the microblog only until the password meets the
//! platform's policy and, where approval is on, an administrator approved them.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{spawn, spawn_with_auth, Platform};

/// `PATCH /v1/me` on auth: any part of the platform outside the microblog.
async fn elsewhere(p: &Platform, token: &str) -> (StatusCode, Value) {
    let response = p
        .http
        .patch(format!("{}/v1/me", p.auth))
        .bearer_auth(token)
        .json(&json!({"full_name": "Someone"}))
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap_or_default())
}

async fn me(p: &Platform, token: &str) -> Value {
    p.http
        .get(format!("{}/v1/me", p.auth))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn post_message(p: &Platform, token: &str) -> StatusCode {
    p.v1(Method::POST, "/messages", Some(token))
        .json(&json!({"text": "hello from the microblog"}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_weak_minitwit_password_keeps_the_account_to_the_microblog_until_upgraded() {
    let p = spawn(false).await;
    assert_eq!(p.register("weak").await.status(), StatusCode::NO_CONTENT);
    let token = p.login("weak", "pw").await;

    assert_eq!(post_message(&p, &token).await, StatusCode::CREATED);
    let (status, problem) = elsewhere(&p, &token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("microblog only"), "{detail}");
    assert!(detail.contains("POST /v1/me/password"), "{detail}");
    assert_eq!(me(&p, &token).await["limits"], json!(["weak_password"]));

    // A compliant password through auth lifts the limit.
    let changed = p
        .http
        .post(format!("{}/v1/me/password", p.auth))
        .bearer_auth(&token)
        .json(&json!({"old_password": "pw", "new_password": "a password long enough"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let full = p.login("weak", "a password long enough").await;
    assert_eq!(elsewhere(&p, &full).await.0, StatusCode::OK);
    assert_eq!(me(&p, &full).await["limits"], json!([]));
    assert_eq!(post_message(&p, &full).await, StatusCode::CREATED);
}

#[tokio::test]
async fn with_approval_on_a_minitwit_account_waits_for_an_administrator() {
    let p = spawn_with_auth(false, |auth| auth.require_approval = true).await;
    let registered = p
        .sim(Method::POST, "/register")
        .body(json!({"username": "strong", "email": "strong@example.org", "pwd": "a long strong password"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::NO_CONTENT);
    let token = p.login("strong", "a long strong password").await;
    assert_eq!(post_message(&p, &token).await, StatusCode::CREATED);
    let (status, problem) = elsewhere(&p, &token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        problem["detail"].as_str().unwrap().contains("approves"),
        "{problem}"
    );
    let account = me(&p, &token).await;
    assert_eq!(account["limits"], json!(["awaiting_approval"]));

    let admin = p.fixture.person_with("admin", &["admin"], &[]).await;
    let approved = p
        .http
        .post(format!(
            "{}/v1/users/{}/activate",
            p.auth,
            account["id"].as_str().unwrap()
        ))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), StatusCode::OK);
    let full = p.login("strong", "a long strong password").await;
    assert_eq!(elsewhere(&p, &full).await.0, StatusCode::OK);
}
