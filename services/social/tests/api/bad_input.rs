//! Text PostgreSQL cannot store (a NUL character), wherever a client can put
//! it, gets a 4xx that says so, never a 500; nothing is stored.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::spawn;

const NUL_TEXT: &str = "a\u{0}b";

async fn problem(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_nul_character_is_refused_with_a_4xx_everywhere() {
    let p = spawn(false).await;
    let ann = p.person("ann").await;
    assert_eq!(p.register("sim").await.status(), StatusCode::NO_CONTENT);

    // JSON API: the message text.
    let (status, body) = problem(
        p.v1(Method::POST, "/messages", Some(&ann.token))
            .json(&json!({"text": NUL_TEXT}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["errors"]["text"][0].as_str().unwrap().contains("NUL"),
        "{body}"
    );

    // Simulator API: message content and every registration field, in its shape.
    let content = p
        .sim(Method::POST, "/msgs/sim")
        .body(json!({"content": NUL_TEXT}).to_string())
        .send()
        .await
        .unwrap();
    let (status, body) = problem(content).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["status"], 400);
    assert!(
        body["error_msg"].as_str().unwrap().contains("NUL"),
        "{body}"
    );
    for field in ["username", "email", "pwd"] {
        let mut form = json!({"username": "newbie", "email": "newbie@example.org", "pwd": "pw"});
        form[field] = json!(format!("{NUL_TEXT}@"));
        let (status, body) = problem(
            p.sim(Method::POST, "/register")
                .body(form.to_string())
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
        assert!(
            body["error_msg"].as_str().unwrap().contains("NUL"),
            "{body}"
        );
    }

    // Paths and query strings reach the database too.
    for path in ["/msgs/a%00b", "/fllws/a%00b"] {
        let status = p.sim(Method::GET, path).send().await.unwrap().status();
        assert!(status.is_client_error(), "{path}: {status}");
    }
    let follow_nul = p
        .sim(Method::POST, "/fllws/sim")
        .body(json!({"follow": NUL_TEXT}).to_string())
        .send()
        .await
        .unwrap()
        .status();
    assert!(follow_nul.is_client_error(), "{follow_nul}");
    for path in [
        "/users/a%00b",
        "/users/a%00b/messages",
        "/news?q=a%00b",
        "/users/a%00b/followers",
    ] {
        let (status, body) = problem(
            p.v1(Method::GET, path, Some(&ann.token))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert!(status.is_client_error(), "{path}: {status} {body}");
    }
    let follow = p
        .v1(Method::POST, "/users/a%00b/follow", Some(&ann.token))
        .send()
        .await
        .unwrap()
        .status();
    assert!(follow.is_client_error(), "{follow}");

    // auth, for the same reason.
    let (status, body) = problem(
        p.http
            .post(format!("{}/v1/register", p.auth))
            .json(&json!({"username": NUL_TEXT, "email": "x@example.org", "password": "long enough 123"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(status.is_client_error(), "{status} {body}");
    let (status, body) = problem(
        p.http
            .post(format!("{}/v1/login", p.auth))
            .json(&json!({"username": NUL_TEXT, "password": "whatever"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(status.is_client_error(), "{status} {body}");

    // Nothing was stored.
    let (_, timeline) = problem(
        p.v1(Method::GET, "/timeline/public", Some(&ann.token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(timeline["items"], json!([]), "{timeline}");
}

#[tokio::test]
async fn a_megabyte_of_text_is_a_4xx_and_stores_nothing() {
    let p = spawn(false).await;
    let ann = p.person("ann").await;
    assert_eq!(p.register("sim").await.status(), StatusCode::NO_CONTENT);
    let huge = "x".repeat(1 << 20);
    let sim = p
        .sim(Method::POST, "/msgs/sim")
        .body(json!({"content": huge}).to_string())
        .send()
        .await
        .unwrap()
        .status();
    assert!(sim.is_client_error(), "{sim}");
    let api = p
        .v1(Method::POST, "/messages", Some(&ann.token))
        .json(&json!({"text": huge}))
        .send()
        .await
        .unwrap()
        .status();
    assert!(api.is_client_error(), "{api}");
    let register = p
        .sim(Method::POST, "/register")
        .body(json!({"username": huge, "email": "big@example.org", "pwd": "pw"}).to_string())
        .send()
        .await
        .unwrap()
        .status();
    assert!(register.is_client_error(), "{register}");
    let (_, timeline) = problem(
        p.v1(Method::GET, "/timeline/public", Some(&ann.token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(timeline["items"], json!([]), "{timeline}");
}

#[tokio::test]
async fn the_same_registration_twice_at_once_makes_one_account_and_no_5xx() {
    let p = spawn(false).await;
    let attempts: Vec<_> = (0..8).map(|_| p.register("Twin")).collect();
    let statuses: Vec<StatusCode> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status())
        .collect();
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::NO_CONTENT)
        .count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::NO_CONTENT || *s == StatusCode::BAD_REQUEST),
        "{statuses:?}"
    );
    // The one account is the simulator's: it can post.
    let posted = p
        .sim(Method::POST, "/msgs/Twin")
        .body(json!({"content": "one of us"}).to_string())
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(posted, StatusCode::NO_CONTENT);
}
