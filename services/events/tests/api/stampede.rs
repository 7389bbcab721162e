//! The opening-minute stampede: 2,000 people press "register" at once over
//! 200 connections for 100 places, some of them in the priority pool.

use std::collections::HashMap;

use diesel::RunQueryDsl;
use futures_util::StreamExt;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::model::Model;
use crate::support::{json as read, open_event, Stack};

const PEOPLE: usize = 2_000;
const PLACES: i32 = 100;
const CONNECTIONS: usize = 200;
/// Every `PRIORITIZED_EVERY`th person is in the priority pool.
const PRIORITIZED_EVERY: usize = 7;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_at_once_fill_exactly_the_places_in_order() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    stack.group("members", "other").await;
    let mut body = open_event("cabin", PLACES);
    body["priority_pools"] = json!([["members"]]);
    let event = stack.event(&stack.admin.token, body).await;
    let id = event["id"].as_str().unwrap().to_owned();

    // 2,000 people events knows (as if auth's events had arrived), who accepted the rules.
    let people: Vec<(Uuid, bool)> = (0..PEOPLE)
        .map(|i| (Uuid::new_v4(), i % PRIORITIZED_EVERY == 0))
        .collect();
    let mut conn = stack.db();
    let values = |f: &dyn Fn(&(Uuid, bool)) -> Option<String>| {
        people.iter().filter_map(f).collect::<Vec<_>>().join(",")
    };
    diesel::sql_query(format!(
        "INSERT INTO users (id, username, status, synced_at, memberships_known) VALUES {}",
        values(&|(id, _)| Some(format!(
            "('{id}', 'u{}', 'active', now(), true)",
            id.simple()
        )))
    ))
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO event_settings (user_id, accepts_event_rules) VALUES {}",
        values(&|(id, _)| Some(format!("('{id}', true)")))
    ))
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO memberships (user_id, group_id, role, synced_at) \
         SELECT v.id::uuid, g.id, 'member', now() FROM (VALUES {}) AS v(id), groups g WHERE g.slug = 'members'",
        values(&|(id, prioritized)| prioritized.then(|| format!("('{id}')")))
    ))
    .execute(&mut conn)
    .unwrap();
    let tokens: Vec<String> = people
        .iter()
        .map(|(id, _)| stack.token_for(*id, &format!("u{}", id.simple()), &[]))
        .collect();

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let url = format!("{}/v1/events/{id}/registrations", stack.events.url);
    let answers: Vec<(u16, Value)> = futures_util::stream::iter(tokens.iter().cloned())
        .map(|token| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let response = http.post(&url).bearer_auth(token).send().await.unwrap();
                let status = response.status().as_u16();
                (status, response.json().await.unwrap_or(Value::Null))
            }
        })
        .buffer_unordered(CONNECTIONS)
        .collect()
        .await;
    let statuses: HashMap<u16, usize> = answers.iter().fold(HashMap::new(), |mut m, (s, _)| {
        *m.entry(*s).or_default() += 1;
        m
    });
    assert_eq!(
        statuses,
        HashMap::from([(201, PEOPLE)]),
        "every press answered 201, none failed"
    );
    stack.assert_invariants(&id);

    // The outcome the rules give for the order in which the presses took the lock.
    let mut conn = stack.db();
    let mut rows = events::db::registrations::of_event(&mut conn, id.parse().unwrap()).unwrap();
    rows.sort_by_key(|r| (r.registered_at, r.id));
    let flags: HashMap<Uuid, bool> = people.iter().copied().collect();
    let mut model = Model {
        capacity: PLACES as usize,
        ..Model::default()
    };
    for (seq, row) in rows.iter().enumerate() {
        assert_eq!(
            row.prioritized, flags[&row.user_id],
            "the priority of {}",
            row.user_id
        );
        model.register(row.user_id, row.prioritized, seq as u64);
    }
    let confirmed: Vec<Uuid> = rows
        .iter()
        .filter(|r| r.is_confirmed())
        .map(|r| r.user_id)
        .collect();
    assert_eq!(confirmed.len(), PLACES as usize);
    for row in &rows {
        let expected = model
            .entries
            .iter()
            .find(|e| e.user == row.user_id)
            .unwrap();
        assert_eq!(
            row.is_confirmed(),
            expected.confirmed,
            "status of {}",
            row.user_id
        );
    }
    // With more prioritized people than places, every place ends with one of
    // the first 100 prioritized presses.
    let first_prioritized: Vec<Uuid> = rows
        .iter()
        .filter(|r| r.prioritized)
        .take(PLACES as usize)
        .map(|r| r.user_id)
        .collect();
    let mut sorted = confirmed.clone();
    sorted.sort();
    let mut expected = first_prioritized.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    // The waiting list: remaining prioritized by press, then the rest by press,
    // and each person's position says so.
    let waiting = model.waiting();
    for (i, waiter) in waiting.iter().enumerate().step_by(97) {
        let token = &tokens[people
            .iter()
            .position(|(id, _)| *id == waiter.user)
            .unwrap()];
        let mine = read(stack.mine(&id, token).await, 200).await;
        assert_eq!(mine["position"], i as i64 + 1, "{mine}");
    }
    stack.stop().await;
}
