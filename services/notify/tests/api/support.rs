//! Spawns auth and one or more notify instances sharing a database, exchange
//! and Redis prefix (as replicas do), an SMTP sink, and a clock tests set.

use std::sync::Arc;

use futures_util::StreamExt;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

use auth::settings::AuthSettings;
use chrono::{DateTime, Utc};
use common::outbox::Envelope;
use notify::clock::ManualClock;
use notify::settings::NotifySettings;
use serde_json::Value;
use testkit::{AuthFixture, Isolation, SmtpSink};

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
    /// auth; its exchange is where notify's consumers listen.
    pub fixture: AuthFixture,
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

pub use testkit::Person;

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
        Self::with_auth(smtp_url, |_| {}).await
    }

    /// Like [`Stack::new`], with auth's settings changed by `adjust` first.
    pub async fn with_auth(
        smtp_url: Option<String>,
        adjust: impl FnOnce(&mut AuthSettings),
    ) -> Stack {
        let fixture = AuthFixture::start::<auth::Auth>(|common| {
            let mut settings = AuthSettings::for_tests(common).expect("test settings");
            adjust(&mut settings);
            settings
        })
        .await;
        let mut notify_iso = Isolation::of::<notify::Notify>();
        // notify hears auth's events.
        notify_iso.exchange = fixture.iso.exchange.clone();
        Stack {
            auth: fixture.url.clone(),
            auth_port: fixture.port,
            http: fixture.http.clone(),
            clock: ManualClock::new(oslo(9, 0, 23)),
            fixture,
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
        self.notify_iso.track_queues(running.queues.iter().cloned());
        let port = running.port;
        let handle = running.server.handle();
        let task = tokio::spawn(common::server::serve(running));
        for queue in [notify::domain::consumer::QUEUE] {
            testkit::bus::wait_for_consumer(&format!("{}{queue}", self.notify_iso.queue_prefix()))
                .await;
        }
        Instance {
            url: format!("http://127.0.0.1:{port}"),
            port,
            handle,
            task,
        }
    }

    /// Registers a person in auth (which tells notify) and logs them in.
    pub async fn person(&self, username: &str) -> Person {
        self.fixture.person(username).await
    }

    /// The same through `base` (nginx) with the `Host` header `host`.
    pub async fn person_via(&self, base: &str, host: Option<&str>, username: &str) -> Person {
        testkit::people::register(&self.http, base, host, username).await
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
