//! Spawns auth and social side by side, social with a provisioning client.

use auth::settings::AuthSettings;
use reqwest::{RequestBuilder, Response};
use social::settings::SocialSettings;
use testkit::{AuthFixture, Isolation};

pub use testkit::Person;

pub struct Platform {
    /// auth's address.
    pub auth: String,
    pub auth_port: u16,
    pub social: String,
    pub social_port: u16,
    pub http: reqwest::Client,
    pub fixture: AuthFixture,
    pub social_iso: Isolation,
    /// The folder of social's local file store.
    pub media_root: std::path::PathBuf,
}

/// Auth and social; `events` decides whether social hears auth's events (when
/// false, social only learns users by asking auth).
pub async fn spawn(events: bool) -> Platform {
    spawn_with_auth(events, |_| {}).await
}

/// Like [`spawn`], with auth's settings changed by `adjust` first.
pub async fn spawn_with_auth(events: bool, adjust: impl FnOnce(&mut AuthSettings)) -> Platform {
    let fixture = AuthFixture::start::<auth::Auth>(|common| {
        let mut settings = AuthSettings::for_tests(common).expect("test settings");
        adjust(&mut settings);
        settings
    })
    .await;
    let (social_iso, social, media_root) = spawn_social(&fixture, events).await;
    Platform {
        media_root,
        auth: fixture.url.clone(),
        auth_port: fixture.port,
        social: social.url,
        social_port: social.port,
        http: fixture.http.clone(),
        fixture,
        social_iso,
    }
}

/// Social with the API client it provisions accounts with, on auth's exchange
/// when `events` (so it hears auth's user events).
pub async fn spawn_social(
    fixture: &AuthFixture,
    events: bool,
) -> (Isolation, testkit::Spawned, std::path::PathBuf) {
    let client = {
        let mut conn = fixture.iso.db.connect();
        let wanted = auth::domain::clients::NewClient {
            name: "social".into(),
            scopes: vec!["users:provision".into(), "users:read".into()],
        };
        auth::domain::clients::create(&mut conn, &wanted, None).unwrap()
    };
    let mut social_iso = Isolation::of::<social::Social>();
    if events {
        social_iso.exchange = fixture.iso.exchange.clone();
    }
    let mut common = social_iso.settings("social");
    common.jwks_url = fixture.jwks_url();
    let settings = SocialSettings::for_tests(
        common,
        &fixture.url,
        &client.client_id.to_string(),
        &client.client_secret,
    );
    let media_root = std::path::PathBuf::from(settings.media.store.trim_start_matches("file://"));
    let spawned = testkit::spawn::<social::Social>(&social_iso, settings).await;
    (social_iso, spawned, media_root)
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

impl Platform {
    /// Registers a person in auth (standard sign-up) and logs them in.
    pub async fn person(&self, username: &str) -> Person {
        self.fixture.person(username).await
    }

    /// An access token from auth for these credentials.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let session =
            testkit::people::log_in(&self.http, &self.auth, None, username, password).await;
        testkit::people::access_token(&session)
    }

    /// A request to the JSON API (Host `social.localhost`), with a token when given.
    pub fn v1(&self, method: reqwest::Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self
            .http
            .request(method, format!("{}/v1{}", self.social, path))
            .header("host", "social.localhost");
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }
}
