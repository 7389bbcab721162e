//! `spawn_app` for the auth service and a small typed client.

use auth::settings::AuthSettings;
use reqwest::Response;
use serde::Deserialize;
use serde_json::{json, Value};
use testkit::Isolation;
use uuid::Uuid;

pub struct TestApp {
    pub base: String,
    pub port: u16,
    pub http: reqwest::Client,
    pub iso: Isolation,
    pub settings: AuthSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    #[serde(default)]
    pub device_token: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub password: String,
    pub session: Session,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts auth on its own database, exchange and Redis prefix; `adjust` may
/// change settings first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut AuthSettings)) -> TestApp {
    let iso = Isolation::of::<auth::Auth>();
    let mut settings = AuthSettings::for_tests(iso.settings("auth")).unwrap();
    adjust(&mut settings);
    let spawned = testkit::spawn::<auth::Auth>(&iso, settings.clone()).await;
    TestApp {
        base: spawned.url.clone(),
        port: spawned.port,
        http: testkit::people::client(),
        iso,
        settings,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> Response {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.unwrap()
    }

    pub async fn patch(&self, path: &str, body: Value, token: &str) -> Response {
        self.http
            .patch(self.url(path))
            .json(&body)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.http.get(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.unwrap()
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.http
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn register(&self, username: &str, email: &str, password: &str) -> Response {
        self.post(
            "/v1/register",
            json!({"username": username, "email": email, "password": password}),
            None,
        )
        .await
    }

    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.post(
            "/v1/login",
            json!({"username": login, "password": password}),
            None,
        )
        .await
    }

    /// Registers and logs in a person with a unique email.
    pub async fn person(&self, username: &str) -> Person {
        let person = testkit::people::register(&self.http, &self.base, None, username).await;
        Person {
            id: person.id,
            password: person.password,
            session: serde_json::from_value(person.session).unwrap(),
        }
    }

    /// Registers and logs in a person from another client address (so
    /// throttling of this test's own address does not touch them).
    pub async fn person_from_elsewhere(&self, username: &str) -> Person {
        let password = format!("pw-{username}-123456");
        let email = format!("{username}@example.org");
        let registered = self.register(username, &email, &password).await;
        assert_eq!(registered.status(), 201);
        let id = registered.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let session = self
            .http
            .post(self.url("/v1/login"))
            .header("x-forwarded-for", "198.18.0.1")
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
            .json::<Session>()
            .await
            .unwrap();
        Person {
            id,
            password,
            session,
        }
    }

    /// An administrator, made through the same code path as `auth create-admin`.
    pub async fn admin(&self) -> Person {
        let username = format!("admin{}", &Uuid::new_v4().simple().to_string()[..8]);
        let password = "administrator-password".to_owned();
        let state = auth::state(self.settings.clone()).unwrap();
        let hash = state.hasher.hash(&password).unwrap();
        let mut conn = self.iso.db.connect();
        let account = auth::domain::accounts::NewAccount {
            username: username.clone(),
            email: format!("{username}@example.org"),
            password: password.clone(),
            full_name: String::new(),
        };
        let user = diesel::Connection::transaction(&mut conn, |conn| {
            auth::domain::accounts::create(conn, &account, &hash, "active", vec!["admin".into()])
        })
        .unwrap();
        let session = self
            .login(&username, &password)
            .await
            .json::<Session>()
            .await
            .unwrap();
        Person {
            id: user.id,
            password,
            session,
        }
    }
}

/// The body of a problem+json answer, checking its content type.
pub async fn problem(response: Response) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    response.json().await.unwrap()
}
