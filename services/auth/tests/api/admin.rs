use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::spawn_app;
use testkit::refused_with;

#[tokio::test]
async fn only_admins_list_users() {
    let app = spawn_app().await;
    let person = app.person("Nosy").await;
    let response = app
        .get("/v1/users", Some(&person.session.access_token))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/v1/users", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn admins_search_sort_and_page_users() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for name in ["Charlie", "alpha", "Bravo", "Delta"] {
        app.person(name).await;
    }
    let token = Some(admin.session.access_token.as_str());
    let page: Value = app
        .get("/v1/users?sort=username&per_page=2&page=1&q=a", token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 5, "admin + 4 names containing 'a': {page}");
    assert_eq!(page["per_page"], 2);
    assert_eq!(page["sort"], "username");
    let options: Vec<&str> = page["sort_options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(options.contains(&"username") && options.contains(&"created_at"));
    assert_eq!(page["items"].as_array().unwrap().len(), 2);

    let desc: Value = app
        .get("/v1/users?sort=-created_at&q=delta", token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(desc["items"][0]["username"], "Delta");

    let bad = app.get("/v1/users?sort=password_hash", token).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    refused_with(bad, 400, "bad_request").await;
    assert_eq!(
        app.get("/v1/users?per_page=1000", token).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn admins_export_users_as_csv() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let person = app.person("Exported").await;
    let csv = app
        .http
        .get(app.url("/v1/users?sort=username"))
        .header("accept", "text/csv")
        .bearer_auth(&admin.session.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("id,username,email"));
    assert_eq!(lines.len(), 3);
    assert!(text.contains("Exported@example.org"));

    let not_admin = app
        .get("/v1/groups?format=csv", Some(&person.session.access_token))
        .await;
    assert_eq!(not_admin.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admins_grant_roles_which_reach_the_next_token() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let person = app.person("Moddy").await;
    let token = &admin.session.access_token;
    let path = format!("/v1/users/{}", person.id);
    let bad = app.patch(&path, json!({"roles": ["emperor"]}), token).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok: Value = app
        .patch(&path, json!({"roles": ["moderator"]}), token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok["roles"], json!(["moderator"]));
    let refreshed: Value = app
        .post(
            "/v1/refresh",
            json!({"refresh_token": person.session.refresh_token}),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let perms: Value = app
        .get(
            "/v1/me/permissions",
            Some(refreshed["access_token"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(perms["can"]
        .as_array()
        .unwrap()
        .contains(&json!("messages.moderate")));
    let self_demote = app
        .patch(
            &format!("/v1/users/{}", admin.id),
            json!({"roles": []}),
            token,
        )
        .await;
    assert_eq!(self_demote.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn absurd_pages_are_refused_not_computed() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let token = Some(admin.session.access_token.as_str());
    let huge = app
        .get(&format!("/v1/users?page={}", i64::MAX), token)
        .await;
    assert_eq!(huge.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get("/v1/users?page=zero", token).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/v1/users?page=0", token).await.status(),
        StatusCode::BAD_REQUEST
    );
}
