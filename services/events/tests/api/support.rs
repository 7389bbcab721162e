//! Auth and events side by side on one exchange: events hears auth's users,
//! groups and memberships as it would in production.

use auth::settings::AuthSettings;
use chrono::{DateTime, Utc};
use common::clock::SharedClock;
use common::jwt::{Claims, SigningKey, TokenKind};
use diesel::{Connection, PgConnection, RunQueryDsl};
use events::settings::EventsSettings;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};
pub use testkit::refused_with;
use testkit::{AuthFixture, Isolation, Person};
use uuid::Uuid;

pub struct Stack {
    pub fixture: AuthFixture,
    pub iso: Isolation,
    pub events: testkit::Spawned,
    /// What `events` was started with, for more instances.
    pub settings: EventsSettings,
    pub http: reqwest::Client,
    /// auth's signing key, to make tokens for people only events knows.
    key: SigningKey,
    pub admin: Person,
}

impl Stack {
    pub async fn start() -> Self {
        Self::start_with_clock(SharedClock::system()).await
    }

    /// A stack whose scheduled jobs read `clock`.
    pub async fn start_with_clock(clock: SharedClock) -> Self {
        Self::start_with(clock, |_| {}).await
    }

    /// A stack whose events settings `adjust` changes first.
    pub async fn start_with(clock: SharedClock, adjust: impl FnOnce(&mut EventsSettings)) -> Self {
        let key = SigningKey::generate_base64_pkcs8().unwrap();
        let signing = key.clone();
        let fixture = AuthFixture::start::<auth::Auth>(move |common| {
            let mut settings = AuthSettings::for_tests(common).unwrap();
            settings.signing_keys = vec![signing];
            settings
        })
        .await;
        let mut iso = Isolation::of::<events::Events>();
        iso.exchange = fixture.iso.exchange.clone();
        let mut common = iso.settings("events");
        common.jwks_url = fixture.jwks_url();
        common.db_pool_size = 8;
        let mut settings = EventsSettings::for_tests(common, &fixture.url);
        settings.clock = clock;
        adjust(&mut settings);
        let events = testkit::spawn::<events::Events>(&iso, settings.clone()).await;
        let admin = fixture.person_with("root", &["admin"], &[]).await;
        Self {
            http: testkit::people::client(),
            fixture,
            iso,
            events,
            settings,
            key: SigningKey::from_base64_pkcs8(&key).unwrap(),
            admin,
        }
    }

    /// Another instance of events on the same database and broker.
    pub async fn instance(&self) -> testkit::Spawned {
        testkit::spawn::<events::Events>(&self.iso, self.settings.clone()).await
    }

    pub async fn stop(self) {
        let folder = self
            .media_folder()
            .and_then(|f| f.parent().map(|p| p.to_path_buf()));
        self.events.stop().await;
        self.fixture.stop().await;
        if let Some(folder) = folder {
            let _ = std::fs::remove_dir_all(folder);
        }
    }

    /// The local folder of events' file store, if it stores on local disk.
    pub fn media_folder(&self) -> Option<std::path::PathBuf> {
        self.settings
            .media
            .store
            .strip_prefix("file://")
            .map(std::path::PathBuf::from)
    }

    /// Uploads still waiting on disk (none once a request is answered).
    pub fn waiting_uploads(&self) -> usize {
        std::fs::read_dir(&self.settings.media.upload_dir)
            .map(|entries| entries.count())
            .unwrap_or(0)
    }

    /// Every file in the local store, relative to it, sorted.
    pub fn stored_files(&self) -> Vec<String> {
        fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else {
                    out.push(path.strip_prefix(root).unwrap().display().to_string());
                }
            }
        }
        let mut files = vec![];
        if let Some(root) = self.media_folder() {
            walk(&root, &root, &mut files);
        }
        files.sort();
        files
    }

    /// A request to events' API, with a token when given.
    pub fn api(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self
            .http
            .request(method, format!("{}/v1{}", self.events.url, path));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// A request to auth's API as the administrator.
    fn auth_admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}/v1{}", self.fixture.url, path))
            .bearer_auth(&self.admin.token)
    }

    /// Someone registered and logged in through auth, who accepted the event rules.
    pub async fn person(&self, name: &str) -> Person {
        let person = self.fixture.person(name).await;
        self.accept_rules(&person.token).await;
        person
    }

    pub async fn accept_rules(&self, token: &str) {
        let response = self
            .api(Method::PATCH, "/me/event-settings", Some(token))
            .json(&json!({"accepts_event_rules": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }

    /// A group made through auth's API.
    pub async fn group(&self, slug: &str, kind: &str) {
        let response = self
            .auth_admin(Method::POST, "/groups")
            .json(&json!({"slug": slug, "name": slug, "kind": kind}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }

    /// Adds `user` to a group through auth's API and waits until events heard it.
    pub async fn join(&self, user: Uuid, slug: &str, role: &str) {
        let response = self
            .auth_admin(Method::POST, &format!("/groups/{slug}/members"))
            .json(&json!({"user_id": user, "role": role}))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap()
        );
        self.until_member(user, slug, true).await;
    }

    /// Waits until events' copy shows `user` in (or out of) the group.
    pub async fn until_member(&self, user: Uuid, slug: &str, member: bool) {
        let url = self.iso.db.url.clone();
        let slug = slug.to_owned();
        testkit::eventually("events hears the membership", move || {
            let (url, slug) = (url.clone(), slug.clone());
            async move {
                let mut conn = PgConnection::establish(&url).unwrap();
                let n: i64 = count(
                    &mut conn,
                    &format!(
                        "SELECT count(*) AS n FROM memberships m JOIN groups g ON g.id = m.group_id \
                         WHERE m.user_id = '{user}' AND g.slug = '{slug}' AND m.role IS NOT NULL"
                    ),
                );
                (n > 0) == member
            }
        })
        .await;
    }

    /// A token for someone auth never heard of, whom events knows (as if
    /// auth's registration event had arrived), with their rules accepted.
    pub async fn made_up(&self, name: &str) -> (Uuid, String) {
        let id = Uuid::new_v4();
        let mut conn = self.db();
        diesel::sql_query(format!(
            "INSERT INTO users (id, username, status, synced_at, memberships_known) \
             VALUES ('{id}', '{name}', 'active', now(), true)"
        ))
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query(format!(
            "INSERT INTO event_settings (user_id, accepts_event_rules) VALUES ('{id}', true)"
        ))
        .execute(&mut conn)
        .unwrap();
        (id, self.token_for(id, name, &[]))
    }

    /// A token auth's key signed for `id`.
    pub fn token_for(&self, id: Uuid, name: &str, roles: &[&str]) -> String {
        self.token_with_limits(id, name, roles, &[])
    }

    /// A token auth's key signed, with microblog-only `limits`.
    pub fn token_with_limits(
        &self,
        id: Uuid,
        name: &str,
        roles: &[&str],
        limits: &[&str],
    ) -> String {
        let now = Utc::now().timestamp();
        self.key
            .sign(&Claims {
                sub: id.to_string(),
                username: name.to_owned(),
                roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                groups: vec![],
                exp: now + 3600,
                iat: now,
                jti: Uuid::new_v4().to_string(),
                iss: "platform-auth".into(),
                aud: "platform".into(),
                kind: TokenKind::User,
                sid: None,
                scope: None,
                limits: limits.iter().map(|l| (*l).to_owned()).collect(),
            })
            .unwrap()
    }

    /// events' database.
    pub fn db(&self) -> PgConnection {
        self.iso.db.connect()
    }

    /// Creates an event as `token` (201 expected).
    pub async fn event(&self, token: &str, body: Value) -> Value {
        let response = self
            .api(Method::POST, "/events", Some(token))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        body
    }

    pub async fn register(&self, event: &str, token: &str) -> Response {
        self.api(
            Method::POST,
            &format!("/events/{event}/registrations"),
            Some(token),
        )
        .send()
        .await
        .unwrap()
    }

    /// `GET /v1/events/{event}/registrations/me` as `token`.
    pub async fn mine(&self, event: &str, token: &str) -> Response {
        self.api(
            Method::GET,
            &format!("/events/{event}/registrations/me"),
            Some(token),
        )
        .send()
        .await
        .unwrap()
    }

    pub async fn leave(&self, event: &str, token: &str) -> Response {
        self.api(
            Method::DELETE,
            &format!("/events/{event}/registrations/me"),
            Some(token),
        )
        .send()
        .await
        .unwrap()
    }

    /// Every event events wrote to its outbox, read through the contracts.
    pub fn published(&self) -> Vec<contracts::Event> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Jsonb)]
            payload: Value,
        }
        diesel::sql_query("SELECT payload FROM outbox ORDER BY created_at, id")
            .load::<Row>(&mut self.db())
            .unwrap()
            .into_iter()
            .map(|row| {
                let envelope: common::outbox::Envelope =
                    serde_json::from_value(row.payload).unwrap();
                envelope.parse().unwrap()
            })
            .collect()
    }

    /// Checks the invariants in the database: counters match, never more
    /// participants than places, never a free place (neither taken nor
    /// offered) while someone waits.
    pub fn assert_invariants(&self, event: &str) {
        assert_invariants(&mut self.db(), event);
    }
}

pub fn assert_invariants(conn: &mut PgConnection, event: &str) {
    // An offered place is held: it counts with the participants.
    let confirmed = count(conn, &format!("SELECT count(*) AS n FROM registrations WHERE event_id = '{event}' AND status IN ('confirmed', 'offered')"));
    let waiting = count(conn, &format!("SELECT count(*) AS n FROM registrations WHERE event_id = '{event}' AND status = 'waitlisted'"));
    let capacity = count(
        conn,
        &format!("SELECT capacity::bigint AS n FROM events WHERE id = '{event}'"),
    );
    let counted = count(
        conn,
        &format!("SELECT confirmed_count::bigint AS n FROM events WHERE id = '{event}'"),
    );
    let counted_waiting = count(
        conn,
        &format!("SELECT waiting_count::bigint AS n FROM events WHERE id = '{event}'"),
    );
    assert_eq!((counted, counted_waiting), (confirmed, waiting), "counters");
    if capacity > 0 {
        assert!(
            confirmed <= capacity,
            "{confirmed} participants, {capacity} places"
        );
        if waiting > 0 {
            assert_eq!(confirmed, capacity, "a free place while {waiting} wait");
        }
    } else {
        assert_eq!(waiting, 0, "waiting at an unlimited event");
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

pub fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

/// An event body whose registration opened an hour ago.
pub fn open_event(organizer: &str, capacity: i32) -> Value {
    let now = Utc::now();
    json!({
        "title": "Cabin trip",
        "location": "The cabin",
        "starts_at": at(now + chrono::Duration::days(10)),
        "ends_at": at(now + chrono::Duration::days(11)),
        "organizer": organizer,
        "sign_up": true,
        "capacity": capacity,
        "registration_opens_at": at(now - chrono::Duration::hours(1)),
        "registration_closes_at": at(now + chrono::Duration::days(5)),
        "sign_off_deadline": at(now + chrono::Duration::days(7)),
    })
}

pub fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// The `detail` of a problem answer, after checking its status.
pub async fn refused(response: Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    body["detail"].as_str().unwrap_or_default().to_owned()
}

pub async fn json(response: Response, status: u16) -> Value {
    let got = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

/// Requests to auth and events through the real nginx, as a client's (and an
/// attacker's) would arrive.
pub struct Edge<'a> {
    stack: &'a Stack,
    nginx: testkit::Nginx,
}

impl<'a> Edge<'a> {
    pub fn start(stack: &'a Stack) -> Self {
        let auth_port: u16 = stack
            .fixture
            .url
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let media = stack
            .media_folder()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let nginx = testkit::Nginx::start_with(
            [auth_port, 0, stack.events.port, 0],
            &[("NGINX_MEDIA_ROOT", &media)],
        );
        Self { stack, nginx }
    }

    /// A GET of `path` on `media.localhost` (the local file store).
    pub async fn media(&self, path: &str) -> Response {
        self.stack
            .http
            .get(format!("{}{path}", self.nginx.url()))
            .header("host", "media.localhost")
            .send()
            .await
            .unwrap()
    }

    /// A request to events' `/v1{path}` as `token`.
    pub fn api(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.stack
            .http
            .request(method, format!("{}/v1{path}", self.nginx.url()))
            .header("host", "events.localhost")
            .bearer_auth(token)
    }

    /// A `multipart/form-data` upload of `bytes` as field `file` to `path`.
    pub async fn upload(
        &self,
        path: &str,
        token: &str,
        name: &str,
        declared: &str,
        bytes: &[u8],
    ) -> Response {
        let (content_type, body) = multipart(name, declared, bytes);
        self.api(Method::POST, path, token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// `api` with a JSON body, sent.
    pub async fn send(&self, method: Method, path: &str, token: &str, body: Value) -> Response {
        self.api(method, path, token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

const BOUNDARY: &str = "platform-test-boundary-7d1f";

/// A `multipart/form-data` body with `bytes` as field `file` named `name`
/// and declared as `declared`; its content type.
pub fn multipart(name: &str, declared: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: {declared}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}
