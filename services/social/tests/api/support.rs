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
    let mut common = social_iso.settings("social");
    common.jwks_url = format!("{auth}/.well-known/jwks.json");
    let settings = SocialSettings::for_tests(
        common,
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

/// A platform user with a fresh access token.
pub struct Person {
    pub id: String,
    pub token: String,
}

/// A group membership to give a person: (slug, kind, role).
pub type Membership<'a> = (&'a str, &'a str, &'a str);

impl Platform {
    /// Registers a person in auth (standard sign-up) and logs them in.
    pub async fn person(&self, username: &str) -> Person {
        self.person_with(username, &[], &[]).await
    }

    /// A person with platform roles and group memberships (written straight
    /// into auth's database, as an administrator would set them), logged in
    /// afterwards so the token carries them.
    pub async fn person_with(
        &self,
        username: &str,
        roles: &[&str],
        groups: &[Membership<'_>],
    ) -> Person {
        let password = format!("pw-{username}-123456");
        let email = format!("{}@example.org", username.replace(' ', "."));
        let registered = self
            .http
            .post(format!("{}/v1/register", self.auth))
            .json(&serde_json::json!({"username": username, "email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert!(
            registered.status().is_success(),
            "{}",
            registered.text().await.unwrap()
        );
        let user: serde_json::Value = registered.json().await.unwrap();
        let id = user["id"].as_str().unwrap().to_owned();
        let mut conn = self.auth_iso.db.connect();
        use diesel::RunQueryDsl;
        if !roles.is_empty() {
            let list = roles
                .iter()
                .map(|r| format!("'{r}'"))
                .collect::<Vec<_>>()
                .join(",");
            diesel::sql_query(format!(
                "UPDATE users SET roles = ARRAY[{list}] WHERE id = '{id}'"
            ))
            .execute(&mut conn)
            .unwrap();
        }
        for (slug, kind, role) in groups {
            diesel::sql_query(format!(
                "INSERT INTO groups (id, slug, name, kind) VALUES (gen_random_uuid(), '{slug}', '{slug}', '{kind}')
                 ON CONFLICT (slug) DO NOTHING"
            ))
            .execute(&mut conn)
            .unwrap();
            diesel::sql_query(format!(
                "INSERT INTO memberships (id, group_id, user_id, role)
                 SELECT gen_random_uuid(), id, '{id}', '{role}' FROM groups WHERE slug = '{slug}'"
            ))
            .execute(&mut conn)
            .unwrap();
        }
        let token = self.login(username, &password).await;
        Person { id, token }
    }

    /// An access token from auth for these credentials.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let session: serde_json::Value = self
            .http
            .post(format!("{}/v1/login", self.auth))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        session["access_token"].as_str().unwrap().to_owned()
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
