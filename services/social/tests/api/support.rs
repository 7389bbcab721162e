//! Spawns auth and social side by side, social with a provisioning client.

use std::time::Duration;

use auth::settings::AuthSettings;
use reqwest::{RequestBuilder, Response};
use social::settings::SocialSettings;
use testkit::Isolation;

pub struct Platform {
    pub auth: String,
    pub auth_port: u16,
    pub social: String,
    pub social_port: u16,
    pub http: reqwest::Client,
    pub auth_iso: Isolation,
    pub social_iso: Isolation,
}

/// Auth and social; `events` decides whether social hears auth's events (when
/// false, social only learns users by asking auth).
pub async fn spawn(events: bool) -> Platform {
    let auth_iso = Isolation::new(
        "auth",
        auth::MIGRATIONS,
        concat!(env!("CARGO_MANIFEST_DIR"), "/../auth/migrations"),
    );
    let running = auth::build(AuthSettings::for_tests(auth_iso.settings("auth")).unwrap())
        .await
        .unwrap();
    let auth_port = running.port;
    let auth = format!("http://127.0.0.1:{auth_port}");
    tokio::spawn(common::server::serve(running));

    let client = {
        let mut conn = auth_iso.db.connect();
        let wanted = auth::domain::clients::NewClient {
            name: "social".into(),
            scopes: vec!["users:provision".into(), "users:read".into()],
        };
        auth::domain::clients::create(&mut conn, &wanted, None).unwrap()
    };

    let mut social_iso = Isolation::new(
        "social",
        social::MIGRATIONS,
        concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"),
    );
    if events {
        social_iso.exchange = auth_iso.exchange.clone();
    }
    social_iso.track_consumers(&social::consumers());
    let settings = SocialSettings::for_tests(
        social_iso.settings("social"),
        &auth,
        &client.client_id.to_string(),
        &client.client_secret,
    );
    let running = social::build(settings).await.unwrap();
    let social_port = running.port;
    tokio::spawn(common::server::serve(running));
    testkit::bus::wait_for_consumer(&format!("{}social.users", social_iso.queue_prefix())).await;
    Platform {
        auth,
        auth_port,
        social: format!("http://127.0.0.1:{social_port}"),
        social_port,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
        auth_iso,
        social_iso,
    }
}

pub const SIMULATOR: &str = "Basic c2ltdWxhdG9yOnN1cGVyX3NhZmUh";

impl Platform {
    /// A request to the MiniTwit API (Host `api.localhost`) as the simulator sends it.
    pub fn sim(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{}", self.social, path))
            .header("host", "api.localhost")
            .header("authorization", SIMULATOR)
            .header("content-type", "application/json")
            .header("connection", "close")
    }

    pub async fn register(&self, username: &str) -> Response {
        let email = format!("{}@example.org", username.replace(' ', "."));
        self.sim(reqwest::Method::POST, "/register?latest=1")
            .body(
                serde_json::json!({"username": username, "email": email, "pwd": "pw"}).to_string(),
            )
            .send()
            .await
            .unwrap()
    }
}
