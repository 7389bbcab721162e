//! Login throttling that an attacker cannot turn against people: failures
//! from one address against many accounts hold back that address and those
//! accounts, but not a browser or app the victim has logged in with before;
//! forwarded addresses are believed only from trusted proxies.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::Nginx;

use crate::support::{spawn_app, spawn_app_with, TestApp};
use testkit::refused_with;

async fn login_as(
    app: &TestApp,
    login: &str,
    password: &str,
    device: Option<&str>,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .http
        .post(app.url("/v1/login"))
        .json(&json!({"username": login, "password": password, "device_token": device}));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_known_device_logs_in_after_a_thousand_failures_from_its_address() {
    let app = spawn_app().await;
    let victim = app.person("victim").await;
    let device = victim
        .session
        .device_token
        .clone()
        .expect("login returns a device token");
    let mut targets = vec!["victim".to_owned(), "victim@example.org".to_owned()];
    for i in 0..8 {
        targets.push(app.person(&format!("member{i}")).await.id.to_string());
        targets.push(format!("member{i}"));
    }
    // 1,000 failed logins from this address against those accounts and unknown names.
    let mut statuses = Vec::new();
    for chunk in 0..20 {
        let attempts = (0..50).map(|i| {
            let n = chunk * 50 + i;
            let login = if n % 3 == 0 {
                format!("nobody{n}")
            } else {
                targets[n % targets.len()].clone()
            };
            let app = &app;
            async move {
                login_as(app, &login, "not the password", None, None)
                    .await
                    .status()
            }
        });
        statuses.extend(join_all(attempts).await);
    }
    assert_eq!(statuses.len(), 1000);
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS));
    let held = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(held >= 950, "only {held} of 1,000 were held back");

    // The victim's own browser gets in at once, from the same address.
    let known = login_as(&app, "victim", &victim.password, Some(&device), None).await;
    assert_eq!(known.status(), StatusCode::OK);
    let session: Value = known.json().await.unwrap();
    assert_eq!(
        session["device_token"],
        device.as_str(),
        "the device stays known"
    );

    // An unknown device (the attacker's, with the right password or not) is still refused.
    let unknown = login_as(&app, "victim", &victim.password, None, None).await;
    assert_eq!(unknown.status(), StatusCode::TOO_MANY_REQUESTS);
    // A device token of another account does not help either.
    let member = app.person_from_elsewhere("stranger").await;
    let borrowed = login_as(
        &app,
        "victim",
        &victim.password,
        member.session.device_token.as_deref(),
        None,
    )
    .await;
    assert_eq!(borrowed.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn username_and_email_share_one_budget_and_a_device_has_its_own() {
    let app = spawn_app().await;
    let person = app.person("Shared Budget").await;
    let device = person.session.device_token.clone().unwrap();
    // Spread over the name and the address, from different client addresses.
    for (i, login) in ["Shared Budget", "shared.budget@example.org"]
        .iter()
        .cycle()
        .take(5)
        .enumerate()
    {
        let from = format!("198.51.100.{i}");
        let response = login_as(&app, login, "wrong", None, Some(&from)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let held = login_as(
        &app,
        "Shared Budget",
        &person.password,
        None,
        Some("198.51.100.77"),
    )
    .await;
    assert_eq!(held.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = held.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry), "Retry-After {retry}");
    refused_with(held, 429, "logins_held").await;

    // Someone holding the device token still has only five guesses with it.
    for _ in 0..5 {
        let wrong = login_as(&app, "Shared Budget", "wrong", Some(&device), None).await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let device_held = login_as(&app, "Shared Budget", &person.password, Some(&device), None).await;
    assert_eq!(device_held.status(), StatusCode::TOO_MANY_REQUESTS);
    refused_with(device_held, 429, "logins_held").await;
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    // Loopback is trusted by default (nginx runs beside the service).
    let app = spawn_app().await;
    // Twenty different names (the test limit of failing accounts per address).
    for i in 0..20 {
        let response = login_as(
            &app,
            &format!("nobody{i}"),
            "guess",
            None,
            Some("203.0.113.1"),
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let same = login_as(&app, "nobody", "guess", None, Some("203.0.113.1")).await;
    assert_eq!(same.status(), StatusCode::TOO_MANY_REQUESTS);
    // The right-most untrusted entry is the client; what it wrote left of that is ignored.
    let forged = login_as(
        &app,
        "nobody",
        "guess",
        None,
        Some("203.0.113.9, 203.0.113.1"),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::TOO_MANY_REQUESTS);
    let other = login_as(&app, "nobody", "guess", None, Some("203.0.113.2")).await;
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED);

    // Trusting no proxy: the peer is the client, whatever the header says; and a
    // visitor address named by anyone but a provisioning client is ignored.
    let strict = spawn_app_with(|s| s.common.trusted_proxies = "".parse().unwrap()).await;
    for i in 0..20 {
        let response = strict
            .http
            .post(strict.url("/v1/login"))
            .header("x-forwarded-for", format!("192.0.2.{i}"))
            .header("x-client-address", format!("192.0.2.{}", 100 + i))
            .json(&json!({"username": format!("nobody{i}"), "password": "guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let refused = login_as(&strict, "nobody", "guess", None, Some("192.0.2.200")).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn nginx_replaces_what_a_client_writes_in_x_forwarded_for() {
    let app = spawn_app().await;
    let nginx = Nginx::start([app.port, 0, 0, 0]);
    let attempt = |i: usize| {
        app.http
            .post(format!("{}/v1/login", nginx.url()))
            .header("host", "auth.localhost")
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .json(&json!({"username": format!("nobody{i}"), "password": "guess"}))
            .send()
    };
    for i in 0..20 {
        assert_eq!(attempt(i).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    // A new made-up address each time, yet the one real address is held back.
    assert_eq!(
        attempt(99).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn odd_device_tokens_are_unknown_devices_never_errors() {
    let app = spawn_app().await;
    let person = app.person("Odd Devices").await;
    let long = "d".repeat(100_000);
    for device in ["a\u{0}b", "", long.as_str(), "not-a-real-token"] {
        let right = login_as(&app, "Odd Devices", &person.password, Some(device), None).await;
        assert_eq!(right.status(), StatusCode::OK, "{:.20}", device);
        let wrong = login_as(&app, "Odd Devices", "wrong", Some(device), None).await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{:.20}", device);
    }
    // Not a string at all: a 400 naming the body, not a 500.
    let typed = app
        .http
        .post(app.url("/v1/login"))
        .json(&json!({"username": "Odd Devices", "password": person.password, "device_token": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(typed.status(), StatusCode::BAD_REQUEST);
    // The same login twice at once: both succeed, each with a device token.
    let (one, two) = tokio::join!(
        login_as(
            &app,
            "Odd Devices",
            &person.password,
            None,
            Some("198.18.0.9")
        ),
        login_as(
            &app,
            "Odd Devices",
            &person.password,
            None,
            Some("198.18.0.9")
        )
    );
    for answer in [one, two] {
        assert_eq!(answer.status(), StatusCode::OK);
        let session: Value = answer.json().await.unwrap();
        assert!(session["device_token"]
            .as_str()
            .is_some_and(|t| t.len() >= 40));
    }
}
