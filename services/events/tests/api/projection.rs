//! The copy of auth's users, groups and memberships: kept in order from the
//! bus, completed from auth on a miss, and acted on (a deactivated account's
//! registrations end).

use chrono::{Duration, Utc};
use common::outbox::Envelope;
use contracts::auth::{Group, GroupChanged, Membership, MembershipChanged, User, UserUpdated};
use serde_json::json;
use uuid::Uuid;

use crate::support::{count, json, open_event, Stack};

fn membership(user: Uuid, group: Uuid, change: &str, role: Option<&str>) -> MembershipChanged {
    MembershipChanged(Membership {
        group_id: group,
        group_slug: "chess".into(),
        group_name: "Chess".into(),
        group_kind: "board".into(),
        user_id: user,
        change: change.into(),
        role: role.map(str::to_owned),
        previous_role: None,
        actor_id: Uuid::new_v4(),
    })
}

#[tokio::test]
async fn membership_events_apply_once_and_in_order() {
    let stack = Stack::start().await;
    let (user, _) = stack.made_up("ann").await;
    let group = Uuid::new_v4();
    let mut joined = Envelope::of(&membership(user, group, "joined", Some("member"))).unwrap();
    let mut left = Envelope::of(&membership(user, group, "left", None)).unwrap();
    joined.occurred_at = Utc::now() - Duration::seconds(10);
    left.occurred_at = Utc::now() - Duration::seconds(5);
    // The later fact arrives first; the earlier one, and a replay, change nothing.
    testkit::bus::publish(&stack.iso.exchange, &left).await;
    testkit::bus::publish(&stack.iso.exchange, &joined).await;
    testkit::bus::publish(&stack.iso.exchange, &joined).await;
    let mut conn = stack.db();
    let url = stack.iso.db.url.clone();
    testkit::eventually("both events handled", || {
        let url = url.clone();
        async move {
            let mut conn = <diesel::PgConnection as diesel::Connection>::establish(&url).unwrap();
            count(&mut conn, "SELECT count(*) AS n FROM processed_events") >= 2
        }
    })
    .await;
    let current = count(
        &mut conn,
        &format!(
            "SELECT count(*) AS n FROM memberships WHERE user_id = '{user}' AND role IS NOT NULL"
        ),
    );
    assert_eq!(current, 0, "the older join does not undo the newer leave");
    assert_eq!(
        count(
            &mut conn,
            &format!("SELECT count(*) AS n FROM groups WHERE id = '{group}' AND kind = 'board'")
        ),
        1
    );
    // A group renamed and deleted: its memberships end.
    let mut rejoined = Envelope::of(&membership(user, group, "joined", Some("leader"))).unwrap();
    rejoined.occurred_at = Utc::now() - Duration::seconds(1);
    testkit::bus::publish(&stack.iso.exchange, &rejoined).await;
    stack.until_member(user, "chess", true).await;
    let deleted = Envelope::of(&GroupChanged(Group {
        group_id: group,
        slug: "chess".into(),
        name: "Chess".into(),
        kind: "board".into(),
        deleted: true,
    }))
    .unwrap();
    testkit::bus::publish(&stack.iso.exchange, &deleted).await;
    stack.until_member(user, "chess", false).await;
    stack.stop().await;
}

#[tokio::test]
async fn a_caller_whose_memberships_never_arrived_is_looked_up_in_auth() {
    let stack = Stack::start().await;
    stack.group("board", "board").await;
    let member = stack.person("member").await;
    stack.join(member.id, "board", "member").await;
    // events lost everything it knew of this person.
    let mut conn = stack.db();
    for table in ["memberships", "users"] {
        let column = if table == "users" { "id" } else { "user_id" };
        diesel::RunQueryDsl::execute(
            diesel::sql_query(format!(
                "DELETE FROM {table} WHERE {column} = '{}'",
                member.id
            )),
            &mut conn,
        )
        .unwrap();
    }
    // Creating an event for the board needs the membership: fetched from auth.
    let created = stack.event(&member.token, open_event("board", 5)).await;
    assert_eq!(created["organizer"], "board");
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM users WHERE id = '{}' AND memberships_known",
                member.id
            )
        ),
        1
    );
    // A group events never heard of is looked up by slug too.
    stack.group("secret-society", "committee").await;
    diesel::RunQueryDsl::execute(
        diesel::sql_query("DELETE FROM groups WHERE slug = 'secret-society'"),
        &mut conn,
    )
    .unwrap();
    let mut pooled = open_event("board", 5);
    pooled["priority_pools"] = json!([["secret-society"]]);
    let pooled = stack.event(&member.token, pooled).await;
    assert_eq!(pooled["priority_pools"], json!([["secret-society"]]));
    stack.stop().await;
}

#[tokio::test]
async fn a_deactivated_account_leaves_its_upcoming_events() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let mut tap = testkit::bus::EventTap::bind(&stack.iso.exchange, "events.registration.*").await;
    let event = stack
        .event(&stack.admin.token, open_event("cabin", 1))
        .await;
    let id = event["id"].as_str().unwrap();
    let (ann, ann_token) = stack.made_up("ann").await;
    let (bob, bob_token) = stack.made_up("bob").await;
    json(stack.register(id, &ann_token).await, 201).await;
    json(stack.register(id, &bob_token).await, 201).await;
    let deactivated = Envelope::of(&UserUpdated(User {
        user_id: ann,
        username: "ann".into(),
        status: "deactivated".into(),
        ..User::default()
    }))
    .unwrap();
    testkit::bus::publish(&stack.iso.exchange, &deactivated).await;
    let mut seen = Vec::new();
    while let Some(envelope) = tap.next(std::time::Duration::from_secs(10)).await {
        match envelope.parse().unwrap() {
            contracts::Event::Events(contracts::EventsEvent::RegistrationUnregistered(r)) => {
                seen.push(("unregistered", r.user_id, r.cause.clone()))
            }
            contracts::Event::Events(contracts::EventsEvent::RegistrationPromoted(r)) => {
                seen.push(("promoted", r.user_id, r.cause.clone()))
            }
            _ => {}
        }
        if seen.len() == 2 {
            break;
        }
    }
    // One transaction wrote both; the bus does not promise their order.
    seen.sort();
    assert_eq!(
        seen,
        [
            ("promoted", bob, String::new()),
            ("unregistered", ann, "account_deactivated".to_owned())
        ]
    );
    let bob_now = json(stack.mine(id, &bob_token).await, 200).await;
    assert_eq!(bob_now["status"], "confirmed");
    stack.assert_invariants(id);
    stack.stop().await;
}
