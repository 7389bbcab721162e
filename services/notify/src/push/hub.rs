//! Live push: the WebSockets this instance holds, and fan-out through Redis
//! pub/sub so a notification stored by one instance reaches a socket held by
//! another. Without Redis, notifications reach the sockets of the instance
//! that stored them (and the service says so in its logs and `/readyz`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::cache::Redis;
use common::report::Chain;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

type Sockets = HashMap<Uuid, Vec<(u64, mpsc::UnboundedSender<Arc<str>>)>>;

pub struct Hub {
    sockets: Mutex<Sockets>,
    next_id: AtomicU64,
    redis: Arc<Redis>,
    channel: String,
}

#[derive(Serialize, Deserialize)]
struct Fanout {
    user_id: Uuid,
    payload: String,
}

impl Hub {
    pub fn new(redis: Arc<Redis>) -> Self {
        let channel = redis.key("notify:push");
        Self {
            sockets: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            redis,
            channel,
        }
    }

    /// A new socket of `user`: its id and where its messages arrive.
    pub fn register(&self, user: Uuid) -> (u64, mpsc::UnboundedReceiver<Arc<str>>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = mpsc::unbounded_channel();
        if let Ok(mut sockets) = self.sockets.lock() {
            sockets.entry(user).or_default().push((id, sender));
        }
        (id, receiver)
    }

    pub fn unregister(&self, user: Uuid, id: u64) {
        if let Ok(mut sockets) = self.sockets.lock() {
            if let Some(list) = sockets.get_mut(&user) {
                list.retain(|(socket, _)| *socket != id);
                if list.is_empty() {
                    sockets.remove(&user);
                }
            }
        }
    }

    /// Sockets open on this instance.
    pub fn connected(&self) -> usize {
        self.sockets
            .lock()
            .map(|s| s.values().map(Vec::len).sum())
            .unwrap_or(0)
    }

    /// Hands `payload` to the user's sockets on this instance; how many took it.
    pub fn deliver_local(&self, user: Uuid, payload: Arc<str>) -> usize {
        let Ok(mut sockets) = self.sockets.lock() else {
            return 0;
        };
        let Some(list) = sockets.get_mut(&user) else {
            return 0;
        };
        list.retain(|(_, sender)| sender.send(payload.clone()).is_ok());
        list.len()
    }

    /// Pushes `payload` to every socket of `user` on every instance.
    pub async fn publish(&self, user: Uuid, payload: String) {
        let message = serde_json::to_string(&Fanout {
            user_id: user,
            payload: payload.clone(),
        })
        .unwrap_or_default();
        let published: Option<i64> = self
            .redis
            .run(redis::cmd("PUBLISH").arg(&self.channel).arg(message))
            .await;
        if published.is_none() {
            // Redis is down: at least this instance's sockets get it.
            self.deliver_local(user, payload.into());
        }
    }

    /// Delivers what any instance publishes to this instance's sockets, until
    /// `shutdown`; reconnects when Redis goes away.
    pub async fn subscribe(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            match self.listen(&mut shutdown).await {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(error = %Chain(&error), "push fan-out through Redis is down; local sockets only until it is back");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    async fn listen(&self, shutdown: &mut watch::Receiver<bool>) -> Result<(), FanoutError> {
        let client = self.redis.client().ok_or(FanoutError::NoRedis)?;
        let mut pubsub = tokio::time::timeout(Duration::from_secs(2), client.get_async_pubsub())
            .await
            .map_err(|_| FanoutError::Timeout)??;
        pubsub.subscribe(&self.channel).await?;
        tracing::info!(channel = %self.channel, "push fan-out subscribed");
        let mut messages = pubsub.on_message();
        loop {
            tokio::select! {
                message = messages.next() => {
                    let Some(message) = message else {
                        return Err(FanoutError::Ended);
                    };
                    let Ok(text) = message.get_payload::<String>() else { continue };
                    if let Ok(fanout) = serde_json::from_str::<Fanout>(&text) {
                        self.deliver_local(fanout.user_id, fanout.payload.into());
                    }
                }
                _ = shutdown.changed() => return Ok(()),
            }
        }
    }
}

/// Why the fan-out subscription stopped.
#[derive(Debug, thiserror::Error)]
enum FanoutError {
    #[error("REDIS_URL is not a valid Redis URL")]
    NoRedis,
    #[error("connecting to Redis timed out")]
    Timeout,
    #[error("the Redis subscription ended")]
    Ended,
    #[error("Redis failed")]
    Redis(#[from] redis::RedisError),
}
