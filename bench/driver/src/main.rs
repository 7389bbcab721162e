//! notify-bench: drives the notify benchmark (bench/notify.sh).
//!
//! notify-bench latency URL RATE SECONDS   follows through the MiniTwit API at RATE/s;
//!                                         WebSockets of the followed measure commit-to-socket time
//! notify-bench stream URL RATE COUNT      COUNT follows at RATE/s, no sockets (the outage run)
//! notify-bench publish AMQP EXCHANGE COUNT  COUNT follow events straight to the exchange (AMQP as social's user)
//! notify-bench stampede URL EVENT IDS CONNECTIONS  everyone in the file IDS registers for
//!                                         EVENT at once (bench/events.sh)
//!
//! Prints one JSON line of results.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod stampede;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const SIMULATOR: &str = "Basic c2ltdWxhdG9yOnN1cGVyX3NhZmUh";
const PASSWORD: &str = "bench-password";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn register(http: &reqwest::Client, url: &str, name: &str) {
    let response = http
        .post(format!("{url}/register"))
        .header("host", "api.localhost")
        .header("authorization", SIMULATOR)
        .json(&json!({"username": name, "email": format!("{name}@example.org"), "pwd": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "register {name}: {}",
        response.status()
    );
}

async fn login(http: &reqwest::Client, url: &str, name: &str) -> String {
    let session: Value = http
        .post(format!("{url}/v1/login"))
        .header("host", "auth.localhost")
        .json(&json!({"username": name, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["access_token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// `followers` × `followees` users with a run-unique prefix.
async fn people(
    http: &reqwest::Client,
    url: &str,
    prefix: &str,
    followers: usize,
    followees: usize,
) -> (Vec<String>, Vec<String>) {
    let ers: Vec<String> = (0..followers).map(|i| format!("{prefix}er{i}")).collect();
    let ees: Vec<String> = (0..followees).map(|i| format!("{prefix}ee{i}")).collect();
    let all: Vec<String> = ers.iter().chain(ees.iter()).cloned().collect();
    futures_util::stream::iter(all)
        .for_each_concurrent(4, |name| async move { register(http, url, &name).await })
        .await;
    (ers, ees)
}

type Clock = Arc<Mutex<HashMap<String, Instant>>>;

/// Sends follows at `rate` per second, open loop; remembers when each was
/// committed (the API answered) under "<follower> follows you|<followee>".
async fn follow_at_rate(
    http: &reqwest::Client,
    url: &str,
    ers: &[String],
    ees: &[String],
    rate: u64,
    count: usize,
    committed: Clock,
) -> (usize, f64) {
    let errors = Arc::new(Mutex::new(0usize));
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(count);
    for k in 0..count {
        ticker.tick().await;
        let follower = ers[k % ers.len()].clone();
        let followee = ees[(k / ers.len()) % ees.len()].clone();
        let (http, url, committed, errors) = (
            http.clone(),
            url.to_owned(),
            committed.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let response = http
                .post(format!("{url}/fllws/{follower}"))
                .header("host", "api.localhost")
                .header("authorization", SIMULATOR)
                .json(&json!({"follow": followee}))
                .send()
                .await;
            match response {
                Ok(r) if r.status().as_u16() == 204 => {
                    committed
                        .lock()
                        .unwrap()
                        .insert(format!("{follower} follows you|{followee}"), Instant::now());
                }
                _ => *errors.lock().unwrap() += 1,
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let errors = *errors.lock().unwrap();
    (errors, seconds)
}

/// Records CPU use per program (bench/cpu.py) into `$CPU_SNAPSHOT<n>`, when set.
fn cpu_snapshot(n: &str) {
    if let Ok(prefix) = std::env::var("CPU_SNAPSHOT") {
        let _ = std::process::Command::new("python3")
            .args(["bench/cpu.py", "snapshot", &format!("{prefix}{n}")])
            .status();
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn latency(url: &str, rate: u64, seconds: u64) -> Value {
    let http = client();
    let prefix = format!("lat{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let count = (rate * seconds) as usize;
    let followees = 100;
    let followers = count.div_ceil(followees).max(1);
    let (ers, ees) = people(&http, url, &prefix, followers.min(2000), followees).await;
    // A socket per followed person, through nginx like a browser's.
    let arrived: Clock = Arc::new(Mutex::new(HashMap::new()));
    let ws_base = url.replace("http://", "ws://");
    let mut readers = Vec::new();
    for followee in &ees {
        let token = login(&http, url, followee).await;
        let mut request = format!("{ws_base}/ws?access_token={token}")
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("host", "notify.localhost".parse().unwrap());
        let (mut socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("a WebSocket");
        loop {
            if let Some(Ok(Message::Text(text))) = socket.next().await {
                if serde_json::from_str::<Value>(&text).unwrap()["type"] == "ready" {
                    break;
                }
            }
        }
        let (arrived, followee) = (arrived.clone(), followee.clone());
        readers.push(tokio::spawn(async move {
            while let Some(Ok(message)) = socket.next().await {
                if let Message::Text(text) = message {
                    let at = Instant::now();
                    let pushed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    if let Some(title) = pushed["notification"]["title"].as_str() {
                        arrived
                            .lock()
                            .unwrap()
                            .insert(format!("{title}|{followee}"), at);
                    }
                }
            }
        }));
    }
    // Set up; the measured part starts now.
    cpu_snapshot("0");
    let committed: Clock = Arc::new(Mutex::new(HashMap::new()));
    let (errors, sent_seconds) =
        follow_at_rate(&http, url, &ers, &ees, rate, count, committed.clone()).await;
    cpu_snapshot("1");
    let deadline = Instant::now() + Duration::from_secs(15);
    while arrived.lock().unwrap().len() < count - errors && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for reader in readers {
        reader.abort();
    }
    let committed = committed.lock().unwrap();
    let arrived = arrived.lock().unwrap();
    let mut latencies: Vec<f64> = committed
        .iter()
        .filter_map(|(key, sent)| {
            arrived
                .get(key)
                .map(|at| at.saturating_duration_since(*sent).as_secs_f64() * 1000.0)
        })
        .collect();
    latencies.sort_by(|a, b| a.total_cmp(b));
    json!({
        "sent": count, "errors": errors, "received": latencies.len(),
        "offered_rate": count as f64 / sent_seconds,
        "p50_ms": percentile(&latencies, 50.0), "p90_ms": percentile(&latencies, 90.0),
        "p99_ms": percentile(&latencies, 99.0), "max_ms": latencies.last().copied().unwrap_or(f64::NAN),
    })
}

async fn stream(url: &str, rate: u64, count: usize) -> Value {
    let http = client();
    let prefix = format!("out{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let (ers, ees) = people(&http, url, &prefix, 100, count.div_ceil(100)).await;
    println!("{}", json!({"ready": true}));
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let committed: Clock = Arc::new(Mutex::new(HashMap::new()));
    let (errors, seconds) = follow_at_rate(&http, url, &ers, &ees, rate, count, committed).await;
    json!({"sent": count, "errors": errors, "seconds": seconds, "prefix": prefix})
}

async fn publish(amqp: &str, exchange: &str, count: usize) -> Value {
    use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
    let connection = lapin::Connection::connect(amqp, lapin::ConnectionProperties::default())
        .await
        .unwrap();
    let channel = connection.create_channel().await.unwrap();
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .unwrap();
    let users: Vec<uuid::Uuid> = (0..1000).map(|_| uuid::Uuid::new_v4()).collect();
    // As social's relay: consumers believe social's events only from its user.
    let user = common::broker_identity::amqp_user(amqp);
    let started = Instant::now();
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let mut confirms = Vec::with_capacity(chunk.len());
        for k in chunk {
            let envelope = common::outbox::Envelope::of(&contracts::social::UserFollowed(
                contracts::social::Follow {
                    follower_id: uuid::Uuid::new_v4(),
                    follower_username: format!("fan{k}"),
                    followee_id: users[k % users.len()],
                    followee_username: "someone".into(),
                },
            ))
            .unwrap();
            let body = serde_json::to_vec(&envelope).unwrap();
            confirms.push(
                channel
                    .basic_publish(
                        exchange,
                        "social.user.followed",
                        BasicPublishOptions::default(),
                        &body,
                        lapin::BasicProperties::default()
                            .with_delivery_mode(2)
                            .with_user_id(user.clone().into()),
                    )
                    .await
                    .unwrap(),
            );
        }
        for confirm in confirms {
            confirm.await.unwrap();
        }
    }
    json!({"published": count, "seconds": started.elapsed().as_secs_f64()})
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("latency") => {
            latency(&args[2], args[3].parse().unwrap(), args[4].parse().unwrap()).await
        }
        Some("stream") => {
            stream(&args[2], args[3].parse().unwrap(), args[4].parse().unwrap()).await
        }
        Some("publish") => publish(&args[2], &args[3], args[4].parse().unwrap()).await,
        Some("stampede") => {
            stampede::run(&args[2], &args[3], &args[4], args[5].parse().unwrap()).await
        }
        _ => {
            eprintln!("usage: notify-bench latency URL RATE SECONDS | stream URL RATE COUNT | publish AMQP EXCHANGE COUNT | stampede URL EVENT IDS CONNECTIONS");
            std::process::exit(2);
        }
    };
    println!("{result}");
}
