//! The shared test harness. Each test gets its own PostgreSQL database (copied
//! from a migrated template), its own RabbitMQ exchange and its own Redis key
//! prefix, and leaves none of them behind. Services are spawned in-process on
//! port 0 and driven over HTTP.

pub mod azurite;
pub mod bus;
pub mod database;
pub mod migrations;
pub mod nginx;
pub mod people;
pub mod problem;
pub mod process;
pub mod proxy;
pub mod service;
pub mod smtp;
pub mod use_cases;

use std::time::Duration;

use common::settings::{CommonSettings, LogFormat, Millis};
use secrecy::SecretString;
use uuid::Uuid;

pub use bus::EventTap;
pub use database::TestDb;
pub use nginx::Nginx;
pub use people::{AuthFixture, Person};
pub use problem::refused_with;
pub use proxy::CuttableProxy;
pub use service::{
    assert_documented_routes_exist, assert_operational_routes, assert_service_starts, spawn,
    Spawned,
};
pub use smtp::SmtpSink;
pub use use_cases::UseCases;

/// RabbitMQ for tests (`TEST_AMQP_URL`).
pub fn amqp_url() -> String {
    std::env::var("TEST_AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into())
}

/// RabbitMQ for tests as `user`, one of the services' broker users, with
/// its development password (`deploy/rabbitmq/definitions.json`, which
/// `./scripts/test` loads into the broker).
pub fn amqp_url_as(user: &str) -> String {
    let url = amqp_url();
    let (scheme, rest) = url.split_once("://").unwrap_or(("amqp", &url));
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{user}:{user}-dev@{host}")
}

/// Like [`amqp_url_as`], on the virtual host `vhost` instead.
pub fn amqp_url_on(user: &str, vhost: &str) -> String {
    let url = amqp_url_as(user);
    let (scheme, rest) = url.split_once("://").unwrap_or(("amqp", &url));
    let authority = rest.split('/').next().unwrap_or(rest);
    let vhost: String = vhost
        .bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect();
    format!("{scheme}://{authority}/{vhost}")
}

/// Redis for tests (`TEST_REDIS_URL`).
pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Everything one test owns on the shared servers; cleaned up on drop.
pub struct Isolation {
    pub db: TestDb,
    /// A topic exchange only this test publishes to.
    pub exchange: String,
    pub redis_prefix: String,
    /// Consumer queues made for this test, deleted with it.
    queues: std::sync::Mutex<Vec<String>>,
}

impl Isolation {
    /// A fresh database for service `S`, and unique broker and Redis names.
    pub fn of<S: common::service::Service>() -> Self {
        let migrations = S::migrations();
        let root = service::workspace_root();
        let mut dirs: Vec<_> = common::migrations::common_migration_dirs(&migrations)
            .into_iter()
            .map(|dir| root.join(dir))
            .collect();
        dirs.push(root.join("services").join(S::NAME).join("migrations"));
        Self::new(S::NAME, migrations, &dirs)
    }

    /// A fresh database for `service` from `migrations` (whose files are in
    /// `migration_dirs`), and unique broker and Redis names.
    pub fn new(
        service: &str,
        migrations: common::migrations::Migrations,
        migration_dirs: &[std::path::PathBuf],
    ) -> Self {
        let id = Uuid::new_v4().simple().to_string();
        Self {
            db: TestDb::create(service, migrations, migration_dirs),
            exchange: format!("test.{id}"),
            redis_prefix: format!("test:{id}"),
            queues: std::sync::Mutex::default(),
        }
    }

    /// Settings for `service` on port 0 against this test's resources.
    pub fn settings(&self, service: &'static str) -> CommonSettings {
        tracing_init();
        CommonSettings {
            service,
            listen: ([127, 0, 0, 1], 0).into(),
            database_url: SecretString::from(self.db.url.clone()),
            db_pool_size: 4,
            amqp_url: SecretString::from(amqp_url_as(service)),
            amqp_exchange: self.exchange.clone(),
            redis_url: SecretString::from(redis_url()),
            redis_prefix: self.redis_prefix.clone(),
            base_domain: "localhost".into(),
            log_format: LogFormat::Pretty,
            sentry_dsn: None,
            jwks_url: "http://127.0.0.1:9/.well-known/jwks.json".into(),
            jwt_issuer: "platform-auth".into(),
            jwt_audience: "platform".into(),
            shutdown_timeout_secs: 1,
            outbox_poll: Millis(Duration::from_millis(100)),
            http_workers: 2,
            amqp_queue_prefix: self.queue_prefix(),
            trusted_proxies: common::client_address::TrustedProxies::loopback(),
        }
    }

    /// What this test's consumer queues are named with.
    pub fn queue_prefix(&self) -> String {
        format!("{}.", self.exchange)
    }

    /// Remembers the queues of these consumers so they are deleted with the test.
    pub fn track_consumers(&self, consumers: &[common::consumer::ConsumerSpec]) {
        for consumer in consumers {
            let config = common::consumer::ConsumerConfig::new(
                SecretString::from(String::new()),
                &self.exchange,
                &format!("{}{}", self.queue_prefix(), consumer.queue),
                consumer.bindings,
            );
            self.track_queues(config.queues());
        }
    }

    /// Remembers queues to delete with the test, even if it panics.
    pub fn track_queues(&self, names: impl IntoIterator<Item = String>) {
        if let Ok(mut queues) = self.queues.lock() {
            queues.extend(names);
        }
    }
}

impl Drop for Isolation {
    fn drop(&mut self) {
        let exchange = self.exchange.clone();
        let prefix = self.redis_prefix.clone();
        let queues = self.queues.lock().map(|q| q.clone()).unwrap_or_default();
        // Drop may run inside an async runtime; clean up from a plain thread.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                bus::delete_exchange(&exchange, &queues).await;
                delete_redis_keys(&prefix).await;
            });
        })
        .join();
    }
}

async fn delete_redis_keys(prefix: &str) {
    let Ok(client) = redis::Client::open(redis_url()) else {
        return;
    };
    let Ok(mut conn) = client.get_multiplexed_async_connection().await else {
        return;
    };
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}:*"))
        .query_async(&mut conn)
        .await
        .unwrap_or_default();
    if !keys.is_empty() {
        let _: Result<(), _> = redis::cmd("DEL").arg(keys).query_async(&mut conn).await;
    }
}

/// Logs from the service under test, shown by the runner when a test fails.
fn tracing_init() {
    common::telemetry::init_test_logs();
}

/// Polls `check` every 50 ms until it holds; fails the test after 15 s,
/// naming `what` was awaited.
#[allow(clippy::panic)]
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = std::time::Instant::now();
    while !check().await {
        if started.elapsed() > Duration::from_secs(15) {
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
