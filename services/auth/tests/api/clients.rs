use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{spawn_app, TestApp};

async fn create_client(app: &TestApp, token: &str, scopes: &[&str]) -> (String, String) {
    let response = app
        .post(
            "/v1/clients",
            json!({"name": "MiniTwit API", "scopes": scopes}),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    (
        body["client_id"].as_str().unwrap().to_owned(),
        body["client_secret"].as_str().unwrap().to_owned(),
    )
}

async fn client_token(app: &TestApp, id: &str, secret: &str) -> reqwest::Response {
    app.http
        .post(app.url("/v1/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn client_credentials_give_a_scoped_token() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (id, secret) = create_client(&app, &admin.session.access_token, &["users:provision"]).await;

    let token: Value = client_token(&app, &id, &secret).await.json().await.unwrap();
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["scope"], "users:provision");

    let basic = app
        .http
        .post(app.url("/v1/token"))
        .basic_auth(&id, Some(&secret))
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);

    assert_eq!(
        client_token(&app, &id, "wrong").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let bad_grant = app
        .post(
            "/v1/token",
            json!({"grant_type": "password", "client_id": id, "client_secret": secret}),
            None,
        )
        .await;
    assert_eq!(bad_grant.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn provisioning_clients_create_accounts_with_short_passwords() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (id, secret) = create_client(&app, &admin.session.access_token, &["users:provision"]).await;
    let token: Value = client_token(&app, &id, &secret).await.json().await.unwrap();
    let access = token["access_token"].as_str().unwrap();

    let created = app
        .post("/v1/users", json!({"username": "Roger Histand", "email": "roger@minitwit.example", "password": "pw"}), Some(access))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        app.login("Roger Histand", "pw").await.status(),
        StatusCode::OK
    );
    // A client token is not a person.
    assert_eq!(
        app.get("/v1/me", Some(access)).await.status(),
        StatusCode::FORBIDDEN
    );

    // Admins creating accounts follow the standard policy; people cannot at all.
    let admin_short = app
        .post(
            "/v1/users",
            json!({"username": "x1", "email": "x1@example.org", "password": "pw"}),
            Some(&admin.session.access_token),
        )
        .await;
    assert_eq!(admin_short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let person = app.person("Regular").await;
    let by_person = app
        .post(
            "/v1/users",
            json!({"username": "x2", "email": "x2@example.org", "password": "password1"}),
            Some(&person.session.access_token),
        )
        .await;
    assert_eq!(by_person.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn clients_without_the_scope_cannot_provision_and_revoked_clients_get_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (id, secret) = create_client(&app, &admin.session.access_token, &["events:read"]).await;
    let token: Value = client_token(&app, &id, &secret).await.json().await.unwrap();
    let response = app
        .post(
            "/v1/users",
            json!({"username": "x", "email": "x@example.org", "password": "p"}),
            token["access_token"].as_str(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let listed: Value = app
        .get("/v1/clients", Some(&admin.session.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["id"], id.as_str());
    assert!(listed[0]["last_used_at"].is_string());
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is never shown again"
    );

    let revoked = app
        .delete(&format!("/v1/clients/{id}"), &admin.session.access_token)
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        client_token(&app, &id, &secret).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn clients_with_users_read_look_users_up_by_exact_username() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let roger = app.person("Roger Histand").await;
    app.person("Roger Federer").await;
    let (id, secret) = create_client(&app, &admin.session.access_token, &["users:read"]).await;
    let token: Value = client_token(&app, &id, &secret).await.json().await.unwrap();
    let reader = token["access_token"].as_str().unwrap();

    let exact: Value = app
        .get("/v1/users?username=roger%20histand", Some(reader))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(exact["total"], 1);
    assert_eq!(exact["items"][0]["id"], roger.id.to_string());
    let partial: Value = app
        .get("/v1/users?username=roger", Some(reader))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        partial["total"], 0,
        "username matches exactly, not as a search"
    );
    let one = app
        .get(&format!("/v1/users/{}", roger.id), Some(reader))
        .await;
    assert_eq!(one.status(), StatusCode::OK);
    assert_eq!(
        app.get("/v1/users?format=csv", Some(reader)).await.status(),
        StatusCode::FORBIDDEN
    );

    let (other_id, other_secret) =
        create_client(&app, &admin.session.access_token, &["events:read"]).await;
    let other: Value = client_token(&app, &other_id, &other_secret)
        .await
        .json()
        .await
        .unwrap();
    let other = other["access_token"].as_str().unwrap();
    assert_eq!(
        app.get("/v1/users", Some(other)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/v1/users/{}", roger.id), Some(other))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
