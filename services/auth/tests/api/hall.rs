//! A lecture hall behind one campus address logs in when registration opens;
//! a password guesser and a password sprayer from one address are stopped.
//! Through nginx with its deployed edge limits, and auth with its deployed
//! throttle (docs/security.md gives the figures and why).

use auth::settings::Throttle;
use diesel::RunQueryDsl;
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::Nginx;

use crate::support::{spawn_app_with, TestApp};

const PASSWORD: &str = "pw-template-123456";

/// auth with the deployed throttle, `students` accounts (`student0`, ...)
/// sharing one password, and nginx as deployed in front.
async fn campus(students: usize) -> (TestApp, Nginx) {
    let app = spawn_app_with(|s| s.throttle = Throttle::default()).await;
    // One real registration gives the password hash the others copy.
    app.person_from_elsewhere("template").await;
    diesel::sql_query(format!(
        "INSERT INTO users (id, username, email, password_hash, full_name, status, roles, \
           created_at, updated_at, password_meets_policy, approved, security_stamp) \
         SELECT gen_random_uuid(), 'student' || n, 'student' || n || '@example.org', \
           (SELECT password_hash FROM users WHERE username = 'template'), '', 'active', '{{}}', \
           now(), now(), true, true, gen_random_uuid() \
         FROM generate_series(0, {}) AS n",
        students - 1
    ))
    .execute(&mut app.iso.db.connect())
    .unwrap();
    let nginx = Nginx::start_as_deployed([app.port, 0, 0, 0]);
    (app, nginx)
}

/// A login through nginx, from a new device; its status and problem detail.
async fn login(
    app: &TestApp,
    nginx: &Nginx,
    username: String,
    password: &str,
) -> (StatusCode, String) {
    let answer = app
        .http
        .post(format!("{}/v1/login", nginx.url()))
        .header("host", "auth.localhost")
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let body: Value = answer.json().await.unwrap_or(Value::Null);
    (
        status,
        body["detail"].as_str().unwrap_or_default().to_owned(),
    )
}

/// 40 students mistype their password once; then 200 others log in at once
/// from new browsers (lab machines), all through the one campus address.
#[tokio::test]
async fn a_lecture_hall_behind_one_address_logs_in() {
    let (app, nginx) = campus(240).await;
    let typos = join_all((0..40).map(|i| login(&app, &nginx, format!("student{i}"), "oops")));
    for (status, detail) in typos.await {
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{detail}");
    }
    let started = std::time::Instant::now();
    let hall = join_all((40..240).map(|i| login(&app, &nginx, format!("student{i}"), PASSWORD)));
    let answers = hall.await;
    let passed = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count();
    assert_eq!(
        passed,
        200,
        "{:?} (in {:?})",
        answers.iter().find(|(status, _)| *status != StatusCode::OK),
        started.elapsed()
    );
    // Those who mistyped get in on their second try.
    let (status, detail) = login(&app, &nginx, "student0".into(), PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
}

/// Guessing one account's password is held back after a few tries, even with
/// the right password from the guesser's device; spraying one password over
/// 500 accounts is stopped once 200 accounts failed from the address.
#[tokio::test]
async fn guessing_one_account_and_spraying_many_are_stopped() {
    let (app, nginx) = campus(501).await;
    let mut guesses = vec![];
    for i in 0..30 {
        guesses.push(login(&app, &nginx, "student0".into(), &format!("guess{i}")).await);
    }
    let statuses: Vec<StatusCode> = guesses.iter().map(|(status, _)| *status).collect();
    assert_eq!(
        statuses,
        [
            vec![StatusCode::UNAUTHORIZED; 5],
            vec![StatusCode::TOO_MANY_REQUESTS; 25]
        ]
        .concat()
    );
    assert!(guesses[5].1.contains("this account"), "{}", guesses[5].1);
    let (status, _) = login(&app, &nginx, "student0".into(), PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "held back, right password or not"
    );

    // One password over 500 other accounts: 199 more fail (200 accounts in
    // all with student0), then everything from this address is refused.
    let mut spray = vec![];
    for i in 1..=500 {
        spray.push(login(&app, &nginx, format!("student{i}"), "Autumn2026!").await);
    }
    let failed = spray
        .iter()
        .take_while(|(status, _)| *status == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(failed, 199);
    assert!(
        spray[failed..]
            .iter()
            .all(|(status, _)| *status == StatusCode::TOO_MANY_REQUESTS),
        "every attempt after the limit is refused"
    );
    assert!(
        spray[failed]
            .1
            .contains("different accounts from your address"),
        "auth's own limit stops it: {}",
        spray[failed].1
    );
}
