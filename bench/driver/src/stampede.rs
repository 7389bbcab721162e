//! The events stampede: every person in a file presses "register" for one
//! event at the same moment, over a fixed number of connections through
//! nginx. Tokens are signed with auth's key (`AUTH_SIGNING_KEYS`), as auth
//! would sign them, so no password is hashed during the run.

use std::time::{Duration, Instant};

use common::jwt::{Claims, SigningKey, TokenKind};
use futures_util::StreamExt;
use serde_json::{json, Value};

fn token(key: &SigningKey, id: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    key.sign(&Claims {
        sub: id.to_owned(),
        username: format!("u{}", id.replace('-', "")),
        roles: vec![],
        groups: vec![],
        exp: now + 3600,
        iat: now,
        jti: uuid::Uuid::new_v4().to_string(),
        iss: std::env::var("JWT_ISSUER").unwrap_or_else(|_| "platform-auth".into()),
        aud: std::env::var("JWT_AUDIENCE").unwrap_or_else(|_| "platform".into()),
        kind: TokenKind::User,
        sid: None,
        scope: None,
        limits: vec![],
    })
    .unwrap()
}

/// Fires one registration per user id in `ids_file` at `event` over
/// `connections` connections; prints the outcome and latencies.
pub async fn run(url: &str, event: &str, ids_file: &str, connections: usize) -> Value {
    let keys = std::env::var("AUTH_SIGNING_KEYS").expect("AUTH_SIGNING_KEYS");
    let key = SigningKey::from_base64_pkcs8(keys.split(',').next().unwrap_or_default()).unwrap();
    let ids: Vec<String> = std::fs::read_to_string(ids_file)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let tokens: Vec<String> = ids.iter().map(|id| token(&key, id)).collect();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    // Open the connections first, as browsers that loaded the page have.
    futures_util::stream::iter(0..connections)
        .for_each_concurrent(connections, |_| {
            let http = http.clone();
            async move {
                let _ = http
                    .get(format!("{url}/v1/events/{event}"))
                    .header("host", "events.localhost")
                    .send()
                    .await;
            }
        })
        .await;
    let target = format!("{url}/v1/events/{event}/registrations");
    let started = Instant::now();
    let results: Vec<(u16, f64)> = futures_util::stream::iter(tokens)
        .map(|token| {
            let (http, target) = (http.clone(), target.clone());
            async move {
                let sent = Instant::now();
                let status = match http
                    .post(&target)
                    .header("host", "events.localhost")
                    .bearer_auth(token)
                    .send()
                    .await
                {
                    Ok(response) => response.status().as_u16(),
                    Err(_) => 0,
                };
                (status, sent.elapsed().as_secs_f64() * 1000.0)
            }
        })
        .buffer_unordered(connections)
        .collect()
        .await;
    let seconds = started.elapsed().as_secs_f64();
    let mut latencies: Vec<f64> = results.iter().map(|(_, ms)| *ms).collect();
    latencies.sort_by(f64::total_cmp);
    let created = results.iter().filter(|(s, _)| *s == 201).count();
    let server_errors = results.iter().filter(|(s, _)| *s >= 500 || *s == 0).count();
    json!({
        "requests": results.len(),
        "created": created,
        "server_errors": server_errors,
        "other": results.len() - created - server_errors,
        "seconds": seconds,
        "rate": results.len() as f64 / seconds,
        "p50": crate::percentile(&latencies, 50.0),
        "p99": crate::percentile(&latencies, 99.0),
        "max": latencies.last().copied().unwrap_or(f64::NAN),
    })
}
