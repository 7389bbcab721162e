//! Redis, used for rate limits, locks and fan-out. The platform keeps serving
//! when Redis is down: callers get `None` and degrade, and `/readyz` says so.

use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

/// A lazily (re)connected Redis connection with short timeouts.
pub struct Redis {
    client: Option<redis::Client>,
    connection: Mutex<Option<ConnectionManager>>,
    /// When connecting last failed: callers don't wait on a dead Redis again
    /// until `RECONNECT_EVERY` has passed.
    failed_at: std::sync::Mutex<Option<Instant>>,
    prefix: String,
}

const RECONNECT_EVERY: Duration = Duration::from_secs(5);

/// Redis should answer in a few milliseconds; past this we carry on without it.
const TIMEOUT: Duration = Duration::from_millis(300);

impl Redis {
    pub fn new(url: &SecretString, prefix: &str) -> Self {
        let client = match redis::Client::open(url.expose_secret()) {
            Ok(client) => Some(client),
            Err(error) => {
                tracing::error!(%error, "REDIS_URL is not a valid Redis URL; running without Redis");
                None
            }
        };
        Self {
            client,
            connection: Mutex::new(None),
            failed_at: std::sync::Mutex::new(None),
            prefix: prefix.to_owned(),
        }
    }

    /// The client, for what needs its own connection (pub/sub subscribers).
    pub fn client(&self) -> Option<&redis::Client> {
        self.client.as_ref()
    }

    /// `prefix:part` so instances and tests can share one Redis.
    pub fn key(&self, part: &str) -> String {
        format!("{}:{}", self.prefix, part)
    }

    /// A connection, or `None` if Redis cannot be reached right now.
    pub async fn connection(&self) -> Option<ConnectionManager> {
        let client = self.client.as_ref()?;
        let recently_failed = self
            .failed_at
            .lock()
            .ok()
            .and_then(|at| *at)
            .is_some_and(|at| at.elapsed() < RECONNECT_EVERY);
        let mut guard = self.connection.lock().await;
        if let Some(conn) = guard.as_ref() {
            return Some(conn.clone());
        }
        if recently_failed {
            return None;
        }
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(TIMEOUT)
            .set_response_timeout(TIMEOUT)
            .set_number_of_retries(1);
        match tokio::time::timeout(
            TIMEOUT * 2,
            client.get_connection_manager_with_config(config),
        )
        .await
        {
            Ok(Ok(conn)) => {
                *guard = Some(conn.clone());
                self.set_failed_at(None);
                Some(conn)
            }
            failure => {
                let reason = match failure {
                    Ok(Err(error)) => error.to_string(),
                    _ => "no answer in time".to_owned(),
                };
                tracing::warn!(%reason, "Redis unreachable; rate limits and live fan-out are off (retrying every 5 s)");
                self.set_failed_at(Some(Instant::now()));
                None
            }
        }
    }

    fn set_failed_at(&self, at: Option<Instant>) {
        if let Ok(mut failed_at) = self.failed_at.lock() {
            *failed_at = at;
        }
    }

    /// Runs a command, or returns `None` (and logs) if Redis fails.
    pub async fn run<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Option<T> {
        let mut conn = self.connection().await?;
        match tokio::time::timeout(TIMEOUT, command.query_async::<T>(&mut conn)).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(error)) => {
                tracing::warn!(%error, "Redis command failed; carrying on without it");
                None
            }
            Err(_) => {
                tracing::warn!("Redis command timed out; carrying on without it");
                None
            }
        }
    }

    /// Runs a pipeline atomically, or `None` if Redis fails.
    pub async fn run_pipeline<T: redis::FromRedisValue>(
        &self,
        pipe: &redis::Pipeline,
    ) -> Option<T> {
        let mut conn = self.connection().await?;
        match tokio::time::timeout(TIMEOUT, pipe.query_async::<T>(&mut conn)).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(error)) => {
                tracing::warn!(%error, "Redis pipeline failed; carrying on without it");
                None
            }
            Err(_) => {
                tracing::warn!("Redis pipeline timed out; carrying on without it");
                None
            }
        }
    }

    /// Counts one use of `key` in a fixed window of `window_secs`; false once
    /// more than `limit` were counted. Without Redis every use is allowed
    /// (the caller's other defences stay).
    pub async fn allow(&self, key: &str, limit: u32, window_secs: u64) -> bool {
        let key = self.key(key);
        let mut pipe = redis::pipe();
        pipe.cmd("INCR").arg(&key);
        pipe.cmd("EXPIRE")
            .arg(&key)
            .arg(window_secs)
            .arg("NX")
            .ignore();
        match self.run_pipeline::<(u32,)>(&pipe).await {
            Some((count,)) => count <= limit,
            None => true,
        }
    }

    pub async fn ping(&self) -> bool {
        self.run::<String>(&redis::cmd("PING")).await.is_some()
    }
}
