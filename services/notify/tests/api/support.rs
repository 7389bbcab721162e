//! Spawns auth and one or more notify instances sharing a database, exchange
//! and Redis prefix (as replicas do), an SMTP sink, and a clock tests set.

use std::sync::Arc;

use futures_util::StreamExt;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

use auth::settings::AuthSettings;
use chrono::{DateTime, Utc};
use common::consumer::ConsumerSpec;
use common::outbox::Envelope;
use notify::clock::ManualClock;
use notify::settings::NotifySettings;
use serde_json::{json, Value};
use testkit::{Isolation, SmtpSink};

pub struct Instance {
    pub url: String,
    pub port: u16,
    handle: actix_web::dev::ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Instance {
    /// Stops like SIGTERM does: no new requests, work in hand finished.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.task.await;
    }
}

pub struct Stack {
    pub auth: String,
    pub auth_port: u16,
    pub http: reqwest::Client,
    pub clock: ManualClock,
    /// Auth's database and exchange (notify's consumers listen on it too).
    pub auth_iso: Isolation,
    pub notify_iso: Isolation,
    pub smtp_url: Option<String>,
    /// Where this stack's instances write mails without SMTP; removed with it.
    mail_dir: String,
}

impl Drop for Stack {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.mail_dir);
    }
}

pub struct Person {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// Oslo noon on 2026-11-23 is 11:00 UTC (winter time).
pub fn oslo(hour: u32, minute: u32, day: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    chrono_tz::Europe::Oslo
        .with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

impl Stack {
    /// Auth, plus notify's database and queues; instances come from [`Stack::instance`].
    pub async fn new(smtp_url: Option<String>) -> Stack {
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
        let mut notify_iso = Isolation::new(
            "notify",
            notify::MIGRATIONS,
            concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"),
        );
        // notify hears auth's events.
        notify_iso.exchange = auth_iso.exchange.clone();
        let noop = |_: &mut diesel::PgConnection, _: &Envelope| Ok(());
        notify_iso.track_consumers(&[ConsumerSpec {
            queue: notify::domain::consumer::QUEUE,
            bindings: notify::domain::plan::EVENTS,
            handler: Arc::new(noop),
        }]);
        Stack {
            auth,
            auth_port,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
            clock: ManualClock::new(oslo(9, 0, 23)),
            auth_iso,
            notify_iso,
            smtp_url,
            mail_dir: std::env::temp_dir()
                .join(format!("notify-mail-{}", uuid::Uuid::new_v4().simple()))
                .to_string_lossy()
                .into_owned(),
        }
    }

    pub fn settings(&self) -> NotifySettings {
        let mut common = self.notify_iso.settings("notify");
        common.jwks_url = format!("{}/.well-known/jwks.json", self.auth);
        common.shutdown_timeout_secs = 10;
        NotifySettings::for_tests(common, self.smtp_url.as_deref(), &self.mail_dir)
    }

    /// Starts a notify instance on this stack.
    pub async fn instance(&self) -> Instance {
        self.instance_with(self.settings()).await
    }

    pub async fn instance_with(&self, settings: NotifySettings) -> Instance {
        let running = notify::build_with_clock(settings, Arc::new(self.clock.clone()))
            .await
            .unwrap();
        let port = running.port;
        let handle = running.server.handle();
        let task = tokio::spawn(common::server::serve(running));
        testkit::bus::wait_for_consumer(&format!(
            "{}{}",
            self.notify_iso.queue_prefix(),
            notify::domain::consumer::QUEUE
        ))
        .await;
        Instance {
            url: format!("http://127.0.0.1:{port}"),
            port,
            handle,
            task,
        }
    }

    /// Registers a person in auth (which tells notify) and logs them in.
    pub async fn person(&self, username: &str) -> Person {
        self.person_via(&self.auth, None, username).await
    }

    /// The same through `base` (nginx) with the `Host` header `host`.
    pub async fn person_via(&self, base: &str, host: Option<&str>, username: &str) -> Person {
        let post = |path: &str| {
            let request = self.http.post(format!("{base}{path}"));
            match host {
                Some(host) => request.header("host", host),
                None => request,
            }
        };
        let email = format!("{username}@example.org");
        let password = format!("pw-{username}-123456");
        let registered = post("/v1/register")
            .json(&json!({"username": username, "email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert!(registered.status().is_success(), "{registered:?}");
        let id = registered.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let session: Value = post("/v1/login")
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Person {
            id,
            email,
            token: session["access_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Publishes an event as its producer would.
    pub async fn publish(&self, event_type: &str, data: Value) -> Envelope {
        let producer = event_type.split('.').next().unwrap_or("test");
        let envelope = Envelope::raw(producer, event_type, 1, data);
        testkit::bus::publish(&self.notify_iso.exchange, &envelope).await;
        envelope
    }

    pub async fn get(
        &self,
        instance: &Instance,
        path: &str,
        token: &str,
    ) -> (reqwest::StatusCode, Value) {
        let response = self
            .http
            .get(format!("{}{path}", instance.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The person's listed notifications, newest first.
    pub async fn notifications(&self, instance: &Instance, who: &Person) -> Vec<Value> {
        let (_, page) = self.get(instance, "/v1/notifications", &who.token).await;
        page["items"].as_array().cloned().unwrap_or_default()
    }

    /// Waits until the person has `count` listed notifications; returns them.
    pub async fn wait_for(&self, instance: &Instance, who: &Person, count: usize) -> Vec<Value> {
        let started = std::time::Instant::now();
        loop {
            let found = self.notifications(instance, who).await;
            if found.len() >= count {
                return found;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "waited for {count} notifications, have {found:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Waits until the sink holds `count` mails; returns them.
pub async fn mails(sink: &SmtpSink, count: usize) -> Vec<String> {
    testkit::eventually(&format!("{count} mails"), || async {
        sink.messages().len() >= count
    })
    .await;
    sink.messages()
}

/// A WebSocket to notify's `/ws`.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next JSON text message on the socket (pings and pongs skipped).
pub async fn next_json(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket is open")
            .unwrap();
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).unwrap();
        }
    }
}
