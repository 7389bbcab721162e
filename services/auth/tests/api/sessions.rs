use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{problem, spawn_app, Session};
use testkit::refused_with;

#[tokio::test]
async fn login_works_with_username_or_email_in_any_case() {
    let app = spawn_app().await;
    let roger = app.person("Roger Histand").await;
    for login in [
        "Roger Histand",
        "roger histand",
        "Roger.Histand@example.org",
    ] {
        let response = app.login(login, &roger.password).await;
        assert_eq!(response.status(), StatusCode::OK, "login as {login}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        assert!(body["refresh_token"].as_str().unwrap().len() >= 40);
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let app = spawn_app().await;
    app.person("Bob").await;
    let wrong = problem(app.login("Bob", "wrong password").await).await;
    let unknown = problem(app.login("Nobody", "wrong password").await).await;
    assert_eq!(wrong["status"], 401);
    assert_eq!(wrong, unknown);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_session() {
    let app = spawn_app().await;
    let person = app.person("Carol").await;
    let first = person.session.refresh_token.clone();
    let rotated: Session = app
        .post("/v1/refresh", json!({"refresh_token": first}), None)
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(rotated.refresh_token, first);
    let me = app.get("/v1/me", Some(&rotated.access_token)).await;
    assert_eq!(me.status(), StatusCode::OK);

    let reuse = app
        .post("/v1/refresh", json!({"refresh_token": first}), None)
        .await;
    assert_eq!(reuse.status(), StatusCode::UNAUTHORIZED);
    refused_with(reuse, 401, "refresh_reused").await;
    let after = app
        .post(
            "/v1/refresh",
            json!({"refresh_token": rotated.refresh_token}),
            None,
        )
        .await;
    assert_eq!(
        after.status(),
        StatusCode::UNAUTHORIZED,
        "the rotated token died with its family"
    );

    let other_login = app.login("Carol", &person.password).await;
    assert_eq!(
        other_login.status(),
        StatusCode::OK,
        "a new login still works"
    );
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let person = app.person("Dave").await;
    let token = json!({"refresh_token": person.session.refresh_token});
    assert_eq!(
        app.post("/v1/logout", token.clone(), None).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.post("/v1/refresh", token.clone(), None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post("/v1/logout", token, None).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after() {
    let app = spawn_app().await;
    let person = app.person("Mallory").await;
    for _ in 0..5 {
        assert_eq!(
            app.login("Mallory", "guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let throttled = app.login("Mallory", &person.password).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    // Other accounts from elsewhere are unaffected.
    app.person("Innocent").await;
}

#[tokio::test]
async fn throttling_counts_per_address_too() {
    let app = spawn_app().await;
    for i in 0..20 {
        let response = app.login(&format!("user{i}"), "guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = app.login("someone-else", "guess").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    refused_with(throttled, 429, "address_held").await;
}

#[tokio::test]
async fn login_works_without_redis() {
    let app = crate::support::spawn_app_with(|s| {
        s.common.redis_url = secrecy::SecretString::from("redis://127.0.0.1:1".to_owned());
    })
    .await;
    let person = app.person("Resilient").await;
    assert_eq!(
        app.login("Resilient", &person.password).await.status(),
        StatusCode::OK
    );
    let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["redis"], "down");
    assert_eq!(ready["database"], "up");
}

#[tokio::test]
async fn deactivated_accounts_lose_their_sessions() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let person = app.person("Leaver").await;
    let response = app
        .post(
            &format!("/v1/users/{}/deactivate", person.id),
            json!({"reason": "left"}),
            Some(&admin.session.access_token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let refresh = app
        .post(
            "/v1/refresh",
            json!({"refresh_token": person.session.refresh_token}),
            None,
        )
        .await;
    assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login("Leaver", &person.password).await.status(),
        StatusCode::FORBIDDEN
    );
}
