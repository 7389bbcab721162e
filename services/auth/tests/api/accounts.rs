use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::EventTap;

use crate::support::{problem, spawn_app, spawn_app_with};
use testkit::refused_with;

#[tokio::test]
async fn register_returns_the_user_without_password_fields() {
    let app = spawn_app().await;
    let response = app
        .register("Roger Histand", "roger@example.org", "correct horse")
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["username"], "Roger Histand");
    assert_eq!(user["email"], "roger@example.org");
    assert_eq!(user["status"], "active");
    let text = user.to_string();
    assert!(
        !text.contains("password") && !text.contains("argon2"),
        "{text}"
    );
}

#[tokio::test]
async fn register_reports_every_bad_field() {
    let app = spawn_app().await;
    let response = app.register("<bob>", "not-an-email", "short").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = problem(response).await;
    assert_eq!(body["status"], 422);
    for field in ["username", "email", "password"] {
        assert!(
            body["errors"][field].is_array(),
            "no error for {field}: {body}"
        );
    }
}

#[tokio::test]
async fn register_rejects_malformed_and_incomplete_json_with_400() {
    let app = spawn_app().await;
    let response = app
        .http
        .post(app.url("/v1/register"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = app
        .post("/v1/register", json!({"username": "a"}), None)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    refused_with(response, 400, "bad_request").await;
}

#[tokio::test]
async fn usernames_and_emails_are_unique_ignoring_case() {
    let app = spawn_app().await;
    assert_eq!(
        app.register("Alice", "alice@example.org", "password1")
            .await
            .status(),
        StatusCode::CREATED
    );
    let same_name = app
        .register("alice", "other@example.org", "password1")
        .await;
    assert_eq!(same_name.status(), StatusCode::CONFLICT);
    refused_with(same_name, 409, "username_taken").await;
    let same_email = app
        .register("Alicia", "ALICE@example.org", "password1")
        .await;
    assert_eq!(same_email.status(), StatusCode::CONFLICT);
    refused_with(same_email, 409, "email_taken").await;
}

#[tokio::test]
async fn registration_publishes_user_registered() {
    let app = spawn_app().await;
    let mut tap = EventTap::bind(&app.iso.exchange, "auth.user.*").await;
    app.register("Eve", "eve@example.org", "password1").await;
    let event = tap
        .next(Duration::from_secs(10))
        .await
        .expect("auth.user.registered published");
    assert_eq!(event.event_type, "auth.user.registered");
    assert_eq!(event.producer, "auth");
    assert_eq!(event.version, 1);
    assert_eq!(event.data["username"], "Eve");
    assert_eq!(event.data["email"], "eve@example.org");
}

#[tokio::test]
async fn with_approval_on_new_accounts_wait_for_an_admin() {
    let app = spawn_app_with(|s| s.require_approval = true).await;
    let admin = app.admin().await;
    let created: Value = app
        .register("Newbie", "new@example.org", "password1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(created["status"], "pending");
    let id = created["id"].as_str().unwrap();

    let login = app.login("Newbie", "password1").await;
    assert_eq!(login.status(), StatusCode::FORBIDDEN);
    refused_with(login, 403, "awaiting_approval").await;

    let pending: Value = app
        .get(
            "/v1/users?status=pending",
            Some(&admin.session.access_token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending["total"], 1);

    let activated = app
        .post(
            &format!("/v1/users/{id}/activate"),
            json!({}),
            Some(&admin.session.access_token),
        )
        .await;
    assert_eq!(activated.status(), StatusCode::OK);
    assert_eq!(
        app.login("Newbie", "password1").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn declining_needs_a_reason_and_keeps_the_account_out() {
    let app = spawn_app_with(|s| s.require_approval = true).await;
    let admin = app.admin().await;
    let created: Value = app
        .register("Spammer", "spam@example.org", "password1")
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/v1/users/{}/decline", created["id"].as_str().unwrap());
    let no_reason = app
        .post(&path, json!({}), Some(&admin.session.access_token))
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let declined = app
        .post(
            &path,
            json!({"reason": "not a member"}),
            Some(&admin.session.access_token),
        )
        .await;
    let body: Value = declined.json().await.unwrap();
    assert_eq!(body["status"], "declined");
    assert_eq!(body["status_reason"], "not a member");
    assert_eq!(
        app.login("Spammer", "password1").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn password_reset_sends_a_single_use_link_and_ends_sessions() {
    let app = spawn_app().await;
    let person = app.person("Forgetful").await;
    let mut tap = EventTap::bind(&app.iso.exchange, "auth.password_reset_requested").await;

    let unknown = app
        .post(
            "/v1/password-reset",
            json!({"email": "nobody@example.org"}),
            None,
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::ACCEPTED);
    let known = app
        .post(
            "/v1/password-reset",
            json!({"email": "FORGETFUL@example.org"}),
            None,
        )
        .await;
    assert_eq!(known.status(), StatusCode::ACCEPTED);

    let event = tap
        .next(Duration::from_secs(10))
        .await
        .expect("reset event");
    assert_eq!(event.data["email"], "Forgetful@example.org");
    let link = event.data["reset_url"].as_str().unwrap();
    assert!(
        link.starts_with("http://localhost:8080/reset-password?token="),
        "{link}"
    );
    assert!(
        tap.next(Duration::from_millis(500)).await.is_none(),
        "no event for an unknown address"
    );
    let token = link.split("token=").nth(1).unwrap();

    let weak = app
        .post(
            "/v1/password-reset/confirm",
            json!({"token": token, "new_password": "x"}),
            None,
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = app
        .post(
            "/v1/password-reset/confirm",
            json!({"token": token, "new_password": "brand new pw"}),
            None,
        )
        .await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let again = app
        .post(
            "/v1/password-reset/confirm",
            json!({"token": token, "new_password": "another pw1"}),
            None,
        )
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);

    assert_eq!(
        app.login("Forgetful", &person.password).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("Forgetful", "brand new pw").await.status(),
        StatusCode::OK
    );
    let old_session = app
        .post(
            "/v1/refresh",
            json!({"refresh_token": person.session.refresh_token}),
            None,
        )
        .await;
    assert_eq!(old_session.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn reset_links_to_one_address_are_limited_per_hour() {
    let app = spawn_app().await;
    app.person("Flooded").await;
    let mut tap = EventTap::bind(&app.iso.exchange, "auth.password_reset_requested").await;
    for _ in 0..5 {
        let response = app
            .post(
                "/v1/password-reset",
                json!({"email": "flooded@example.org"}),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    let mut sent = 0;
    while tap.next(Duration::from_secs(2)).await.is_some() {
        sent += 1;
    }
    assert_eq!(sent, 3);
}

/// The web pages show a timeline at `/<username>`: names of the site's own
/// pages cannot be taken, in any case, through any registration channel.
#[tokio::test]
async fn names_of_the_sites_pages_are_reserved() {
    let app = spawn_app().await;
    for name in ["login", "Reset-Password", "PUBLIC", "documentation"] {
        let response = app
            .register(
                name,
                &format!("{}@example.org", name.to_lowercase()),
                "long enough password",
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        let body = problem(response).await;
        let said = body["errors"]["username"][0].as_str().unwrap();
        assert!(said.contains("site's pages"), "{name}: {said}");
    }
    assert_eq!(
        app.register("loginname", "loginname@example.org", "long enough password")
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn an_email_change_needs_the_password_and_the_new_mailbox() {
    let app = spawn_app().await;
    app.person("Holder").await;
    let person = app.person("Mover").await;
    let token = person.session.access_token.clone();
    let mut tap = EventTap::bind(&app.iso.exchange, "auth.email_change_requested").await;

    // A stolen access token alone cannot move the account to another mailbox.
    let without = app
        .patch("/v1/me", json!({"email": "mover@new.example.org"}), &token)
        .await;
    assert_eq!(without.status(), StatusCode::BAD_REQUEST);
    refused_with(without, 400, "current_password_required").await;
    let wrong = app
        .patch(
            "/v1/me",
            json!({"email": "mover@new.example.org", "current_password": "not it"}),
            &token,
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let taken = app
        .patch(
            "/v1/me",
            json!({"email": "holder@example.org", "current_password": person.password}),
            &token,
        )
        .await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    // The same address in other letters is no change and needs nothing.
    let same = app
        .patch("/v1/me", json!({"email": "MOVER@example.org"}), &token)
        .await;
    assert_eq!(same.status(), StatusCode::OK);

    let asked = app
        .patch(
            "/v1/me",
            json!({"email": "mover@new.example.org", "current_password": person.password, "full_name": "M"}),
            &token,
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked: Value = asked.json().await.unwrap();
    assert_eq!(
        asked["email"], "Mover@example.org",
        "nothing changes before the link is followed"
    );
    assert_eq!(asked["pending_email"], "mover@new.example.org");
    assert_eq!(asked["full_name"], "M");
    let event = tap
        .next(Duration::from_secs(10))
        .await
        .expect("an email change event");
    assert_eq!(event.data["old_email"], "Mover@example.org");
    assert_eq!(event.data["new_email"], "mover@new.example.org");
    let link = event.data["confirm_url"].as_str().unwrap();
    assert!(
        link.starts_with("http://localhost:8080/confirm-email?token="),
        "{link}"
    );
    let link_token = link.split("token=").nth(1).unwrap();

    let made_up = app
        .post("/v1/me/email/confirm", json!({"token": "made-up"}), None)
        .await;
    assert_eq!(made_up.status(), StatusCode::BAD_REQUEST);
    let confirmed = app
        .post("/v1/me/email/confirm", json!({"token": link_token}), None)
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let me: Value = app.get("/v1/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(me["email"], "mover@new.example.org");
    let reused = app
        .post("/v1/me/email/confirm", json!({"token": link_token}), None)
        .await;
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);
    // The link itself is not kept: only its hash, and the outbox erases the
    // event's data once the broker has it.
    let url = app.iso.db.url.clone();
    let secret = link_token.to_owned();
    testkit::eventually("the outbox erased the link", || {
        let (url, secret) = (url.clone(), secret.clone());
        async move {
            use diesel::{Connection, RunQueryDsl};
            #[derive(diesel::QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let mut conn = diesel::PgConnection::establish(&url).unwrap();
            diesel::sql_query(format!(
                "SELECT count(*) AS n FROM outbox WHERE payload::text LIKE '%{secret}%'"
            ))
            .get_result::<Count>(&mut conn)
            .unwrap()
            .n == 0
        }
    })
    .await;
}
