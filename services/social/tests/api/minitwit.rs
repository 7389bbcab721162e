//! The MiniTwit simulator API contract (docs/minitwit-api.md).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{spawn, Platform};

async fn latest(p: &Platform) -> i64 {
    let body: Value = p
        .sim(Method::GET, "/latest")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["latest"].as_i64().unwrap()
}

async fn tweet(p: &Platform, user: &str, content: &str) -> reqwest::Response {
    p.sim(Method::POST, &format!("/msgs/{}", user.replace(' ', "%20")))
        .body(json!({"content": content}).to_string())
        .send()
        .await
        .unwrap()
}

async fn follow(p: &Platform, user: &str, body: Value) -> StatusCode {
    p.sim(
        Method::POST,
        &format!("/fllws/{}", user.replace(' ', "%20")),
    )
    .body(body.to_string())
    .send()
    .await
    .unwrap()
    .status()
}

async fn error_msg(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    assert!(body["status"].is_u64(), "{body}");
    body["error_msg"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn latest_is_recorded_before_anything_else_and_starts_at_minus_one() {
    let p = spawn(false).await;
    assert_eq!(latest(&p).await, -1);
    assert_eq!(
        p.register("Roger Histand").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(latest(&p).await, 1);
    // Without the credential nothing is recorded: nobody else can move it.
    let refused = p
        .http
        .get(format!("{}/msgs?latest=5", p.social))
        .header("host", "api.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let forged = p
        .http
        .post(format!("{}/register?latest=6", p.social))
        .header("host", "api.localhost")
        .header("authorization", "Basic c2ltdWxhdG9yOndyb25n")
        .body(json!({"username": "x", "email": "x@example.org", "pwd": "x"}).to_string())
        .send()
        .await
        .unwrap();
    // Registering needs no credential (the contract), but records no latest without it.
    assert_eq!(forged.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        latest(&p).await,
        1,
        "unauthenticated requests record nothing"
    );
    let failed = p
        .sim(Method::POST, "/msgs/nobody?latest=7")
        .body(json!({"content": "hi"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        latest(&p).await,
        7,
        "an authenticated request that fails still records latest"
    );
    p.sim(Method::GET, "/msgs?latest=abc").send().await.unwrap();
    p.sim(Method::GET, "/msgs").send().await.unwrap();
    assert_eq!(
        latest(&p).await,
        7,
        "missing or non-integer values change nothing"
    );
    // Operators read the same on the MiniTwit dashboard.
    let metrics = testkit::service::metrics(&p.social).await;
    assert!(
        metrics.contains(r#"platform_gauge{name="minitwit_latest",service="social"} 7"#),
        "{metrics}"
    );
    // The refused request without the credential and the unknown user.
    assert!(
        metrics.contains(
            r#"business_events_total{kind="minitwit_error_responses",service="social"} 2"#
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn register_creates_a_platform_account_and_checks_fields_in_order() {
    let p = spawn(false).await;
    let registered = p.register("Roger Histand").await;
    assert_eq!(registered.status(), StatusCode::NO_CONTENT);
    assert!(registered.text().await.unwrap().is_empty());

    let login = p
        .http
        .post(format!("{}/v1/login", p.auth))
        .json(&json!({"username": "Roger Histand", "password": "pw"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        login.status(),
        StatusCode::OK,
        "the same name and short password log in everywhere"
    );

    let cases = [
        (
            json!({"email": "a@b.c", "pwd": "x"}),
            "You have to enter a username",
        ),
        (
            json!({"username": "", "email": "a@b.c", "pwd": "x"}),
            "You have to enter a username",
        ),
        (
            json!({"username": "Someone", "pwd": "x"}),
            "You have to enter a valid email address",
        ),
        (
            json!({"username": "Someone", "email": "no-at-sign", "pwd": "x"}),
            "You have to enter a valid email address",
        ),
        (
            json!({"username": "Someone", "email": "a@b.c"}),
            "You have to enter a password",
        ),
        (
            json!({"username": "Roger Histand", "email": "other@b.c", "pwd": "x"}),
            "The username is already taken",
        ),
    ];
    for (body, expected) in cases {
        let response = p
            .sim(Method::POST, "/register")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_msg(response).await, expected, "{body}");
    }
    let garbage = p
        .sim(Method::POST, "/register")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    error_msg(garbage).await;
}

#[tokio::test]
async fn messages_are_posted_and_listed_newest_first_with_unicode_intact() {
    let p = spawn(false).await;
    p.register("Roger Histand").await;
    p.register("Other").await;
    assert_eq!(
        tweet(&p, "Roger Histand", "first").await.status(),
        StatusCode::NO_CONTENT
    );
    // The simulator escapes non-ASCII characters.
    let escaped = p
        .sim(Method::POST, "/msgs/Roger%20Histand")
        .body(r#"{"content": "bl\u00e5b\u00e6r \u2603"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(escaped.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        tweet(&p, "Other", "from other").await.status(),
        StatusCode::NO_CONTENT
    );

    let all: Value = p
        .sim(Method::GET, "/msgs")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contents: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(contents, vec!["from other", "blåbær ☃", "first"]);
    assert_eq!(all[1]["user"], "Roger Histand");
    let now = chrono::Utc::now().timestamp();
    assert!(
        (now - all[0]["pub_date"].as_i64().unwrap()).abs() < 60,
        "pub_date is Unix seconds"
    );

    let mine: Value = p
        .sim(Method::GET, "/msgs/Roger%20Histand?no=1")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        mine,
        json!([{"content": "blåbær ☃", "pub_date": all[1]["pub_date"], "user": "Roger Histand"}])
    );
    let fallback: Value = p
        .sim(Method::GET, "/msgs?no=lots")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        fallback.as_array().unwrap().len(),
        3,
        "a non-integer no falls back to 100"
    );
    let huge = p
        .sim(Method::GET, "/msgs?no=99999999999")
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::OK);

    // Flagged messages disappear from every list.
    diesel::RunQueryDsl::execute(
        diesel::sql_query("UPDATE messages SET flagged = true WHERE text = 'first'"),
        &mut p.social_iso.db.connect(),
    )
    .unwrap();
    let visible: Value = p
        .sim(Method::GET, "/msgs/Roger%20Histand")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(visible.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn message_errors_use_the_minitwit_shape() {
    let p = spawn(false).await;
    p.register("Writer").await;
    let unauthorized = p
        .http
        .get(format!("{}/msgs", p.social))
        .header("host", "api.localhost")
        .header("authorization", "Basic d3Jvbmc6d3Jvbmc=")
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), StatusCode::FORBIDDEN);
    let body: Value = unauthorized.json().await.unwrap();
    assert_eq!(
        body,
        json!({"status": 403, "error_msg": "You are not authorized to use this resource!"})
    );

    assert_eq!(
        tweet(&p, "Nobody", "hello").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        p.sim(Method::GET, "/msgs/Nobody")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let no_content = p
        .sim(Method::POST, "/msgs/Writer")
        .body(r#"{"text": "x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(no_content.status(), StatusCode::BAD_REQUEST);
    let not_json = p
        .sim(Method::POST, "/msgs/Writer")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    error_msg(not_json).await;
}

#[tokio::test]
async fn follows_are_kept_once_and_unfollowing_a_stranger_is_fine() {
    let p = spawn(false).await;
    for name in ["Roger Histand", "Jane Doe", "Bob"] {
        p.register(name).await;
    }
    assert_eq!(
        follow(&p, "Roger Histand", json!({"follow": "Jane Doe"})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        follow(&p, "Roger Histand", json!({"follow": "Jane Doe"})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        follow(&p, "Roger Histand", json!({"follow": "Bob"})).await,
        StatusCode::NO_CONTENT
    );
    let follows: Value = p
        .sim(Method::GET, "/fllws/Roger%20Histand")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(follows, json!({"follows": ["Jane Doe", "Bob"]}));
    let first: Value = p
        .sim(Method::GET, "/fllws/Roger%20Histand?no=1")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first, json!({"follows": ["Jane Doe"]}));

    assert_eq!(
        follow(&p, "Bob", json!({"unfollow": "Jane Doe"})).await,
        StatusCode::NO_CONTENT,
        "never followed"
    );
    assert_eq!(
        follow(&p, "Roger Histand", json!({"unfollow": "Jane Doe"})).await,
        StatusCode::NO_CONTENT
    );
    let after: Value = p
        .sim(Method::GET, "/fllws/Roger%20Histand")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after, json!({"follows": ["Bob"]}));

    assert_eq!(
        follow(&p, "Roger Histand", json!({"follow": "Nobody"})).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        follow(&p, "Nobody", json!({"follow": "Bob"})).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        follow(&p, "Roger Histand", json!({"befriend": "Bob"})).await,
        StatusCode::BAD_REQUEST
    );
    let not_json = p
        .sim(Method::POST, "/fllws/Bob")
        .body("follow Bob")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_simulator_acts_only_for_accounts_it_registered() {
    // No events reach social in this setup: it can only learn users from auth.
    let p = spawn(false).await;
    let web_user = p.person("Web User").await;
    let admin = p.fixture.person_with("Admin", &["admin"], &[]).await;
    assert_eq!(
        p.register("Sim User").await.status(),
        StatusCode::NO_CONTENT
    );

    // Posting, following and unfollowing as platform accounts is refused,
    // even with the simulator's credential.
    for victim in ["Web User", "Admin", "web user"] {
        let refused = tweet(&p, victim, "I did not write this").await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert!(error_msg(refused)
            .await
            .contains("was not registered through this API"));
        assert_eq!(
            follow(&p, victim, json!({"follow": "Sim User"})).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            follow(&p, victim, json!({"unfollow": "Sim User"})).await,
            StatusCode::FORBIDDEN
        );
    }
    // Nothing was posted or followed in their name.
    let mine: Value = p
        .v1(
            Method::GET,
            "/users/Web%20User/messages",
            Some(&web_user.token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"], json!([]), "{mine}");
    let following: Value = p
        .sim(Method::GET, "/fllws/Admin")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(following["follows"], json!([]));
    assert!(!admin.token.is_empty());

    // The simulator's own accounts work, and may follow anyone; reading
    // platform users' public data is fine.
    assert_eq!(
        tweet(&p, "Sim User", "hello").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        follow(&p, "Sim User", json!({"follow": "Web User"})).await,
        StatusCode::NO_CONTENT
    );
    let messages = p.sim(Method::GET, "/msgs/Web%20User").send().await.unwrap();
    assert_eq!(messages.status(), StatusCode::OK);

    // A name the simulator never registered is still taken.
    let taken = p
        .sim(Method::POST, "/register")
        .body(json!({"username": "Web User", "email": "other@example.org", "pwd": "x"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(error_msg(taken).await, "The username is already taken");
}

#[tokio::test]
async fn the_api_answers_only_on_its_own_host() {
    let p = spawn(false).await;
    let elsewhere = p
        .http
        .get(format!("{}/latest", p.social))
        .header("host", "social.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn posts_and_real_follow_changes_publish_events() {
    let p = spawn(false).await;
    p.register("Roger Histand").await;
    p.register("Jane Doe").await;
    let mut tap = testkit::EventTap::bind(&p.social_iso.exchange, "social.#").await;
    tweet(&p, "Roger Histand", "hello ☃").await;
    follow(&p, "Roger Histand", json!({"follow": "Jane Doe"})).await;
    follow(&p, "Roger Histand", json!({"follow": "Jane Doe"})).await;
    follow(&p, "Jane Doe", json!({"unfollow": "Roger Histand"})).await;
    follow(&p, "Roger Histand", json!({"unfollow": "Jane Doe"})).await;

    let wait = std::time::Duration::from_secs(10);
    let mut events = Vec::new();
    for _ in 0..3 {
        events.push(tap.next(wait).await.expect("an event"));
    }
    assert!(
        tap.next(std::time::Duration::from_millis(500))
            .await
            .is_none(),
        "no event for non-changes"
    );
    events.sort_by_key(|e| e.occurred_at);
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        vec![
            "social.message.posted",
            "social.user.followed",
            "social.user.unfollowed"
        ]
    );
    let posted = &events[0];
    assert_eq!(posted.producer, "social");
    assert_eq!(posted.version, 1);
    assert_eq!(posted.data["author_username"], "Roger Histand");
    assert_eq!(posted.data["text"], "hello ☃");
    assert!(posted.data["message_id"].is_i64());
    assert!(posted.data["created_at"].is_string());
    assert_eq!(events[1].data["follower_username"], "Roger Histand");
    assert_eq!(events[1].data["followee_username"], "Jane Doe");
    assert!(events[1].data["followee_id"].is_string());
}
