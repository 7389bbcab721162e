//! A replay of a simulator-shaped workload through the real nginx: sequential
//! requests, a new connection each, every answer must be 204.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::Nginx;

use crate::support::{spawn, SIMULATOR};

/// A small deterministic generator, so a failing run can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

enum Action {
    Register(usize),
    Tweet(usize, String),
    Follow(usize, usize),
    Unfollow(usize, usize),
}

fn name(i: usize) -> String {
    // Spaces and non-ASCII letters, as in the simulator's data.
    [
        "Roger Histand",
        "Åse Øvrebø",
        "Jean-Luc Picard",
        "mary.j",
        "Zoë Müller",
    ][i % 5]
        .to_owned()
        + &format!(" {i}")
}

fn workload(users: usize, actions: usize) -> Vec<Action> {
    let mut rng = Lcg(42);
    let mut plan: Vec<Action> = (0..users).map(Action::Register).collect();
    for n in 0..actions {
        let (a, b) = (rng.below(users), rng.below(users));
        plan.push(match rng.below(10) {
            0..=4 => Action::Tweet(a, format!("tweet {n}: blåbærsyltetøy \"quoted\" ☃")),
            5..=7 => Action::Follow(a, b),
            _ => Action::Unfollow(a, b),
        });
    }
    plan
}

#[tokio::test]
async fn a_simulator_workload_through_nginx_gets_only_204s() {
    let p = spawn(true).await;
    let nginx = Nginx::start([p.auth_port, p.social_port, 0, 0]);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let base = nginx.url();
    let plan = workload(200, 2500);
    let mut failures = Vec::new();
    for (id, action) in plan.iter().enumerate() {
        let (path, body) = match action {
            Action::Register(i) => (
                "/register".to_owned(),
                json!({"username": name(*i), "email": format!("user{i}@example.org"), "pwd": format!("p{i}")}),
            ),
            Action::Tweet(i, text) => (
                format!("/msgs/{}", urlencode(&name(*i))),
                json!({"content": text}),
            ),
            Action::Follow(a, b) => (
                format!("/fllws/{}", urlencode(&name(*a))),
                json!({"follow": name(*b)}),
            ),
            Action::Unfollow(a, b) => (
                format!("/fllws/{}", urlencode(&name(*a))),
                json!({"unfollow": name(*b)}),
            ),
        };
        // The simulator escapes non-ASCII characters in its JSON.
        let body = ascii_json(&body);
        let response = http
            .post(format!("{base}{path}?latest={id}"))
            .header("host", "api.localhost")
            .header("authorization", SIMULATOR)
            .header("content-type", "application/json")
            .header("connection", "close")
            .body(body)
            .send()
            .await;
        match response {
            Ok(r) if r.status() == StatusCode::NO_CONTENT => {}
            Ok(r) => failures.push(format!("{id} {path}: {}", r.status())),
            Err(e) => failures.push(format!("{id} {path}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} non-204 answers, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );

    let latest: Value = http
        .get(format!("{base}/latest"))
        .header("host", "api.localhost")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(latest["latest"], plan.len() - 1);
    let tweets = plan
        .iter()
        .filter(|a| matches!(a, Action::Tweet(..)))
        .count();
    let all: Value = http
        .get(format!("{base}/msgs?no=1000"))
        .header("host", "api.localhost")
        .header("authorization", SIMULATOR)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), tweets.min(1000));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// JSON with every non-ASCII character as a `\uXXXX` escape.
fn ascii_json(value: &Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}
