//! The fixture most tests start from: auth running on its own database and
//! exchange, and people registered and logged in through its HTTP API.

use std::time::Duration;

use common::service::Service;
use common::settings::CommonSettings;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::service::{spawn, Spawned};
use crate::Isolation;

/// Someone registered and logged in.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub password: String,
    /// A user access token.
    pub token: String,
    /// The whole answer of `/v1/login` (refresh token, expiry, ...).
    pub session: Value,
}

/// A group membership to give a person: (slug, kind, role).
pub type Membership<'a> = (&'a str, &'a str, &'a str);

/// auth, running for one test.
pub struct AuthFixture {
    pub url: String,
    pub port: u16,
    /// auth's database, exchange and Redis prefix; other services of the test
    /// share the exchange to hear auth's events.
    pub iso: Isolation,
    pub http: reqwest::Client,
    spawned: Spawned,
}

impl AuthFixture {
    /// Starts the identity service `A` with the settings `settings` makes of
    /// this test's common settings.
    pub async fn start<A: Service>(settings: impl FnOnce(CommonSettings) -> A::Settings) -> Self {
        let iso = Isolation::of::<A>();
        let spawned = spawn::<A>(&iso, settings(iso.settings(A::NAME))).await;
        Self {
            url: spawned.url.clone(),
            port: spawned.port,
            iso,
            http: client(),
            spawned,
        }
    }

    /// Where other services fetch auth's token keys.
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.url)
    }

    /// Registers and logs in `username` (email `<username>@example.org`).
    pub async fn person(&self, username: &str) -> Person {
        register(&self.http, &self.url, None, username).await
    }

    /// A person with platform roles and group memberships, written straight
    /// into auth's database as an administrator would set them, and logged in
    /// afterwards so the token carries them. Groups are made when missing.
    #[allow(clippy::unwrap_used)]
    pub async fn person_with(
        &self,
        username: &str,
        roles: &[&str],
        groups: &[Membership<'_>],
    ) -> Person {
        use diesel::sql_types::{Array, Text, Uuid as SqlUuid};
        use diesel::RunQueryDsl;
        let person = self.person(username).await;
        let mut conn = self.iso.db.connect();
        // Approved, as an administrator would (where approval is on).
        diesel::sql_query("UPDATE users SET status = 'active' WHERE id = $1")
            .bind::<SqlUuid, _>(person.id)
            .execute(&mut conn)
            .unwrap();
        if !roles.is_empty() {
            diesel::sql_query("UPDATE users SET roles = $1 WHERE id = $2")
                .bind::<Array<Text>, _>(roles)
                .bind::<SqlUuid, _>(person.id)
                .execute(&mut conn)
                .unwrap();
        }
        for (slug, kind, role) in groups {
            diesel::sql_query(
                "INSERT INTO groups (id, slug, name, kind) VALUES (gen_random_uuid(), $1, $1, $2)
                 ON CONFLICT (slug) DO NOTHING",
            )
            .bind::<Text, _>(slug)
            .bind::<Text, _>(kind)
            .execute(&mut conn)
            .unwrap();
            diesel::sql_query(
                "INSERT INTO memberships (id, group_id, user_id, role)
                 SELECT gen_random_uuid(), id, $1, $2 FROM groups WHERE slug = $3",
            )
            .bind::<SqlUuid, _>(person.id)
            .bind::<Text, _>(role)
            .bind::<Text, _>(slug)
            .execute(&mut conn)
            .unwrap();
        }
        self.login(person).await
    }

    /// `person` with a fresh token (after their roles or groups changed).
    pub async fn login(&self, mut person: Person) -> Person {
        let session = log_in(
            &self.http,
            &self.url,
            None,
            &person.username,
            &person.password,
        )
        .await;
        person.token = access_token(&session);
        person.session = session;
        person
    }

    /// Stops auth as SIGTERM would.
    pub async fn stop(self) {
        self.spawned.stop().await;
    }
}

/// An HTTP client with a timeout, so a hung service fails the test.
#[allow(clippy::expect_used)]
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("an HTTP client")
}

/// Registers and logs in `username` through auth at `base`, sending `Host: host`
/// when given (to go through nginx).
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub async fn register(
    http: &reqwest::Client,
    base: &str,
    host: Option<&str>,
    username: &str,
) -> Person {
    let post = |path: &str| {
        let request = http.post(format!("{base}{path}"));
        match host {
            Some(host) => request.header("host", host),
            None => request,
        }
    };
    let email = format!("{}@example.org", username.replace(' ', "."));
    let password = format!("pw-{username}-123456");
    let registered = post("/v1/register")
        .json(&json!({"username": username, "email": email, "password": password}))
        .send()
        .await
        .expect("auth answers /v1/register");
    let status = registered.status();
    let body: Value = registered.json().await.unwrap_or_default();
    assert_eq!(status, 201, "registering {username}: {body}");
    let session = log_in(http, base, host, username, &password).await;
    Person {
        id: body["id"].as_str().unwrap().parse().unwrap(),
        username: username.to_owned(),
        email,
        password,
        token: access_token(&session),
        session,
    }
}

/// auth's answer to `POST /v1/login` at `base` (through `host` when given).
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub async fn log_in(
    http: &reqwest::Client,
    base: &str,
    host: Option<&str>,
    username: &str,
    password: &str,
) -> Value {
    let mut request = http
        .post(format!("{base}/v1/login"))
        .json(&json!({"username": username, "password": password}));
    if let Some(host) = host {
        request = request.header("host", host);
    }
    request
        .send()
        .await
        .expect("auth answers /v1/login")
        .json()
        .await
        .unwrap()
}

/// The access token of a login answer; empty when the login was refused
/// (an account waiting for approval, say).
pub fn access_token(session: &Value) -> String {
    session["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
