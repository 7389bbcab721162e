//! Any bytes a client sends get a 4xx that says what is wrong, never a 5xx.

use reqwest::Method;
use serde_json::json;

use crate::support::{json, open_event, Stack};

#[tokio::test]
async fn odd_input_is_refused_with_a_4xx() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let (_, ann) = stack.made_up("ann").await;
    let event = stack.event(&admin, open_event("cabin", 5)).await;
    let id = event["id"].as_str().unwrap();

    let allergies = json(
        stack
            .api(Method::PATCH, "/me/event-settings", Some(&ann))
            .json(&json!({"allergies": "nuts\u{0}"}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(allergies["errors"]["allergies"][0]
        .as_str()
        .unwrap()
        .contains("NUL"));
    let long = json(
        stack
            .api(Method::PATCH, "/me/event-settings", Some(&ann))
            .json(&json!({"allergies": "x".repeat(2001)}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(long["errors"]["allergies"].is_array());
    let mut title = open_event("cabin", 5);
    title["title"] = json!("t".repeat(201));
    let answer = json(
        stack
            .api(Method::POST, "/events", Some(&admin))
            .json(&title)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(answer["errors"]["title"][0]
        .as_str()
        .unwrap()
        .contains("200"));

    let cases: Vec<(Method, String, Option<&str>, Option<&str>)> = vec![
        (Method::GET, "/events/not-a-uuid".into(), None, None),
        (
            Method::POST,
            "/events/not-a-uuid/registrations".into(),
            Some(&ann),
            None,
        ),
        (
            Method::POST,
            "/events".into(),
            Some(&admin),
            Some("{not json"),
        ),
        (
            Method::POST,
            "/events".into(),
            Some(&admin),
            Some(r#"{"title": 5}"#),
        ),
        (
            Method::POST,
            "/events".into(),
            Some(&admin),
            Some(r#"{"capacity": 99999999999}"#),
        ),
        (
            Method::PATCH,
            format!("/events/{id}"),
            Some(&admin),
            Some(r#"{"starts_at": "tomorrow"}"#),
        ),
        (
            Method::PATCH,
            format!("/events/{id}"),
            Some(&admin),
            Some(r#"{"capacity": -3}"#),
        ),
        (
            Method::PATCH,
            format!("/events/{id}"),
            Some(&admin),
            Some(r#"{"priority_pools": [["a\u0000b"]]}"#),
        ),
        (Method::GET, "/events?q=a%00b".into(), None, None),
        (Method::GET, "/events?category=x".into(), None, None),
        (Method::GET, "/events?per_page=0".into(), None, None),
        (
            Method::POST,
            "/strikes".into(),
            Some(&admin),
            Some(r#"{"user_id": "x", "kind": "late", "description": ""}"#),
        ),
        (
            Method::POST,
            "/strikes".into(),
            Some(&admin),
            Some(
                r#"{"user_id": "6f1e7c1a-52c4-4b8e-a3a3-0c6d1f1b1a01", "kind": "late", "description": "a\u0000"}"#,
            ),
        ),
        (
            Method::PATCH,
            format!("/events/{id}/registrations/6f1e7c1a-52c4-4b8e-a3a3-0c6d1f1b1a01"),
            Some(&admin),
            Some(r#"{"status": "maybe"}"#),
        ),
        (
            Method::POST,
            "/categories".into(),
            Some(&admin),
            Some(r#"{"name": "a\u0000"}"#),
        ),
        (Method::GET, "/events".into(), Some("not.a.token"), None),
    ];
    for (method, path, token, body) in cases {
        let mut request = stack.api(method.clone(), &path, token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(
            status.is_client_error(),
            "{method} {path} {body:?}: {status} {text}"
        );
        assert!(
            !text.contains("constraint") && !text.contains("line 1 column"),
            "{text}"
        );
    }
    // A value of the wrong type is named by its field, however deep.
    let mut typed = open_event("cabin", 5);
    typed["priority_pools"] = json!([["cabin", 7]]);
    let answer = json(
        stack
            .api(Method::POST, "/events", Some(&admin))
            .json(&typed)
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(
        answer["errors"]["priority_pools[0][1]"].is_array(),
        "{answer}"
    );
    assert!(
        answer["detail"]
            .as_str()
            .unwrap()
            .contains("priority_pools[0][1]: invalid type"),
        "{answer}"
    );
    let plain = stack
        .api(Method::POST, "/events", Some(&admin))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        plain.status(),
        400,
        "a body without Content-Type: application/json"
    );

    // A plain member cannot act as an organizer.
    let someone = uuid::Uuid::new_v4();
    for (method, path, body) in [
        (
            Method::PUT,
            format!("/events/{id}/registrations/{someone}"),
            json!({}),
        ),
        (
            Method::DELETE,
            format!("/events/{id}/registrations/{someone}"),
            json!({}),
        ),
        (
            Method::PATCH,
            format!("/events/{id}/registrations/{someone}"),
            json!({"status": "confirmed"}),
        ),
        (
            Method::PATCH,
            format!("/events/{id}"),
            json!({"title": "Mine now"}),
        ),
        (Method::DELETE, format!("/events/{id}"), json!({})),
    ] {
        let response = stack
            .api(method.clone(), &path, Some(&ann))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{method} {path}");
    }
    stack.stop().await;
}

#[tokio::test]
async fn floods_doubles_and_limited_tokens_are_refused_cleanly() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, open_event("cabin", 1)).await;
    let id = event["id"].as_str().unwrap();
    let (_, ann) = stack.made_up("ann").await;

    // 1 MB of text is refused before it is read as JSON.
    let mut huge = open_event("cabin", 5);
    huge["description"] = json!("x".repeat(1024 * 1024));
    let flood = stack
        .api(Method::POST, "/events", Some(&admin))
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(flood.status(), 400);
    let allergies = stack
        .api(Method::PATCH, "/me/event-settings", Some(&ann))
        .json(&json!({"allergies": "x".repeat(1024 * 1024)}))
        .send()
        .await
        .unwrap();
    assert_eq!(allergies.status(), 400);

    // The same press twice at once: one registration, one 409.
    let (first, second) = tokio::join!(stack.register(id, &ann), stack.register(id, &ann));
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409]);
    stack.assert_invariants(id);

    // An account limited to the microblog gets a 403 that says how to lift it.
    let (limited_id, _) = stack.made_up("limited").await;
    let limited = stack.token_with_limits(limited_id, "limited", &[], &["weak_password"]);
    let refused_limited = stack.register(id, &limited).await;
    assert_eq!(refused_limited.status(), 403);
    let detail: serde_json::Value = refused_limited.json().await.unwrap();
    assert!(
        detail["detail"].as_str().unwrap().contains("microblog"),
        "{detail}"
    );
    // A token signed by another key is no token.
    let forged = common::jwt::SigningKey::from_base64_pkcs8(
        &common::jwt::SigningKey::generate_base64_pkcs8().unwrap(),
    )
    .unwrap()
    .sign(&common::jwt::Claims {
        sub: limited_id.to_string(),
        username: "limited".into(),
        roles: vec!["admin".into()],
        groups: vec![],
        exp: chrono::Utc::now().timestamp() + 600,
        iat: chrono::Utc::now().timestamp(),
        jti: uuid::Uuid::new_v4().to_string(),
        iss: "platform-auth".into(),
        aud: "platform".into(),
        kind: common::jwt::TokenKind::User,
        sid: None,
        scope: None,
        limits: vec![],
    })
    .unwrap();
    assert_eq!(
        stack
            .api(Method::POST, "/categories", Some(&forged))
            .json(&json!({"name": "x"}))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    stack.stop().await;
}

#[tokio::test]
async fn long_sorts_encoded_nul_and_wrong_methods_are_answered_at_once() {
    let stack = Stack::start().await;
    // A sort naming its fields again and again once held a database
    // connection for minutes while the query was built.
    let sort = ["name", "-created_at"].repeat(200).join(",");
    let started = std::time::Instant::now();
    let page = json(
        stack
            .api(Method::GET, &format!("/categories?sort={sort}"), None)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(page["sort"], "name,-created_at");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let nul = json(
        stack
            .api(Method::GET, "/events?q=a%00b", None)
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(nul["detail"].as_str().unwrap().contains("NUL"), "{nul}");
    let wrong = stack
        .api(Method::PUT, "/events", None)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 405);
    assert_eq!(wrong.headers()["allow"], "GET, POST");
}
