//! Property-style tests of the registration engine against real PostgreSQL:
//! random sequences of register, leave, organizer add, moves and capacity
//! changes from many users, compared after every step with a model of the
//! rules, and checked against the invariants.

use chrono::Utc;
use common::ApiError;
use diesel::{Connection, PgConnection};
use events::db::models::{EventRow, WAITLISTED};
use events::db::registrations;
use events::domain::engine;
use uuid::Uuid;

use crate::model::Model;
use crate::support::assert_invariants;

/// A tiny deterministic generator, so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn in_transaction<T>(
    conn: &mut PgConnection,
    event: Uuid,
    work: impl FnOnce(&mut PgConnection, &mut EventRow) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    conn.transaction(|conn| {
        let mut row = engine::lock(conn, event)?;
        work(conn, &mut row)
    })
}

fn new_event(conn: &mut PgConnection, capacity: usize) -> Uuid {
    use diesel::RunQueryDsl;
    let id = Uuid::new_v4();
    diesel::sql_query(format!(
        "INSERT INTO events (id, title, starts_at, ends_at, organizer_id, sign_up, capacity, \
           registration_opens_at, registration_closes_at, sign_off_deadline, priority_pools, created_by) \
         VALUES ('{id}', 'Prop', now() + interval '10 days', now() + interval '11 days', gen_random_uuid(), true, {capacity}, \
           now(), now() + interval '5 days', now() + interval '7 days', '[[\"{}\"]]', gen_random_uuid())",
        Uuid::new_v4()
    ))
    .execute(conn)
    .unwrap();
    id
}

/// The database agrees with the model: who is confirmed, and each waiter's place.
fn assert_same(conn: &mut PgConnection, event: Uuid, model: &Model, step: &str) {
    let rows = registrations::of_event(conn, event).unwrap();
    assert_eq!(rows.len(), model.entries.len(), "{step}: registrations");
    for row in &rows {
        let expected = model
            .entries
            .iter()
            .find(|e| e.user == row.user_id)
            .unwrap();
        assert_eq!(
            row.is_confirmed(),
            expected.confirmed,
            "{step}: status of {}",
            row.user_id
        );
    }
    for (i, waiter) in model.waiting().iter().enumerate() {
        let row = rows.iter().find(|r| r.user_id == waiter.user).unwrap();
        assert_eq!(row.status, WAITLISTED);
        assert_eq!(
            registrations::position(conn, row).unwrap(),
            i as i64 + 1,
            "{step}: position"
        );
    }
    assert_invariants(conn, &event.to_string());
}

fn run(seed: u64, steps: usize) {
    let iso = testkit::Isolation::of::<events::Events>();
    let mut conn = iso.db.connect();
    let mut rng = Rng(seed);
    let users: Vec<(Uuid, bool)> = (0..24)
        .map(|_| (Uuid::new_v4(), rng.below(3) == 0))
        .collect();
    let capacity = rng.below(6) as usize;
    let event = new_event(&mut conn, capacity);
    let mut model = Model {
        capacity,
        ..Model::default()
    };
    for step in 0..steps {
        let (user, prioritized) = users[rng.below(users.len() as u64) as usize];
        let seq = step as u64;
        let label = format!("seed {seed} step {step}");
        match rng.below(10) {
            0..=3 => {
                let expected = model.register(user, prioritized, seq);
                let got = in_transaction(&mut conn, event, |c, e| {
                    engine::register(c, e, user, prioritized, false)
                });
                assert_eq!(got.is_ok(), expected, "{label}: register");
            }
            4 => {
                let expected = model.register(user, true, seq);
                let got = in_transaction(&mut conn, event, |c, e| {
                    engine::register(c, e, user, true, true)
                });
                assert_eq!(got.is_ok(), expected, "{label}: organizer add");
            }
            5..=6 => {
                let expected = model.leave(user);
                let got = in_transaction(&mut conn, event, |c, e| {
                    let r = registrations::find(c, e.id, user)?
                        .ok_or_else(|| ApiError::not_found("none"))?;
                    engine::unregister(c, e, &r, "self", Utc::now())
                });
                assert_eq!(got.is_ok(), expected, "{label}: leave");
            }
            7 => {
                let capacity = rng.below(7) as usize;
                model.set_capacity(capacity);
                in_transaction(&mut conn, event, |c, e| {
                    engine::set_capacity(c, e, capacity as i32, Utc::now())
                })
                .unwrap();
            }
            8 => {
                let expected = model.move_up(user);
                let got = in_transaction(&mut conn, event, |c, e| {
                    let r = registrations::find(c, e.id, user)?
                        .ok_or_else(|| ApiError::not_found("none"))?;
                    engine::move_to_place(c, e, &r)
                });
                assert_eq!(got.is_ok(), expected, "{label}: move up");
            }
            _ => {
                let expected = model.move_down(user);
                let got = in_transaction(&mut conn, event, |c, e| {
                    let r = registrations::find(c, e.id, user)?
                        .ok_or_else(|| ApiError::not_found("none"))?;
                    engine::move_to_waiting(c, e, &r, Utc::now())
                });
                assert_eq!(got.is_ok(), expected, "{label}: move down");
            }
        }
        assert_same(&mut conn, event, &model, &label);
    }
}

#[test]
fn random_sequences_follow_the_rules_and_keep_the_invariants() {
    for seed in [0x9e37_79b9_7f4a_7c15, 42, 7, 1_234_567, 0xdead_beef] {
        run(seed, 250);
    }
}
