//! The JSON API under /v1: messages, timelines, follows, profiles, moderation.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{spawn, Person, Platform};

async fn post(p: &Platform, who: &Person, text: &str) -> reqwest::Response {
    p.v1(Method::POST, "/messages", Some(&who.token))
        .json(&json!({"text": text}))
        .send()
        .await
        .unwrap()
}

async fn posted(p: &Platform, who: &Person, text: &str) -> Value {
    let response = post(p, who, text).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn get(p: &Platform, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let response = p.v1(Method::GET, path, token).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn texts(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
}

async fn send(p: &Platform, method: Method, path: &str, who: &Person) -> StatusCode {
    p.v1(method, path, Some(&who.token))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn people_post_read_and_delete_their_own_messages() {
    let p = spawn(false).await;
    let alice = p.person("alice").await;
    let bob = p.person("bob").await;

    let message = posted(&p, &alice, "Hello <world> & \"friends\" ☃").await;
    assert_eq!(message["text"], "Hello <world> & \"friends\" ☃");
    assert_eq!(message["author"]["username"], "alice");
    assert_eq!(message["author"]["id"], alice.id.to_string());
    assert!(message["author"]["avatar_url"]
        .as_str()
        .unwrap()
        .starts_with("https://www.gravatar.com/avatar/"));
    assert_eq!(message["flagged"], false);
    assert!(message["created_at"].is_string());
    let id = message["id"].as_i64().unwrap();

    let (status, fetched) = get(&p, &format!("/messages/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["text"], message["text"]);

    // Limits: not blank, at most 1,000 characters (counted as characters).
    for bad in ["", "   \n "] {
        let refused = post(&p, &alice, bad).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = refused.json().await.unwrap();
        assert!(problem["errors"]["text"].is_array(), "{problem}");
    }
    assert_eq!(
        post(&p, &alice, &"ø".repeat(1000)).await.status(),
        StatusCode::CREATED
    );
    let long = post(&p, &alice, &"ø".repeat(1001)).await;
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.text().await.unwrap().contains("1001 given"));

    // Without a token, or with a bad one.
    let anonymous = p
        .v1(Method::POST, "/messages", None)
        .json(&json!({"text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let forged = p
        .v1(Method::POST, "/messages", Some("not.a.token"))
        .json(&json!({"text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

    // Only the author deletes.
    assert_eq!(
        send(&p, Method::DELETE, &format!("/messages/{id}"), &bob).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&p, Method::DELETE, &format!("/messages/{id}"), &alice).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        get(&p, &format!("/messages/{id}"), None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&p, Method::DELETE, &format!("/messages/{id}"), &alice).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn timelines_are_newest_first_and_page_by_cursor() {
    let p = spawn(false).await;
    let alice = p.person("alice").await;
    for n in 1..=5 {
        posted(&p, &alice, &format!("message {n}")).await;
    }
    let (status, first) = get(&p, "/timeline/public?limit=2", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&first), ["message 5", "message 4"]);
    let mut seen = texts(&first);
    let mut cursor = first["next_cursor"].as_str().unwrap().to_owned();
    loop {
        let (_, page) = get(
            &p,
            &format!("/timeline/public?limit=2&cursor={cursor}"),
            None,
        )
        .await;
        seen.extend(texts(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "message 5",
            "message 4",
            "message 3",
            "message 2",
            "message 1"
        ]
    );

    // A user's timeline pages the same way; an exact fit has no next page.
    let (_, mine) = get(&p, "/users/alice/messages?limit=5", None).await;
    assert_eq!(texts(&mine).len(), 5);
    assert!(mine["next_cursor"].is_null());

    for bad in ["limit=0", "limit=101", "cursor=abc", "cursor=-4"] {
        let (status, problem) = get(&p, &format!("/timeline/public?{bad}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(problem["detail"].as_str().unwrap().len() > 10, "{problem}");
    }
    assert_eq!(
        get(&p, "/users/nobody/messages", None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&p, "/timeline/home", None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn home_timeline_holds_mine_and_followed_users_messages() {
    let p = spawn(false).await;
    let alice = p.person("alice").await;
    let bob = p.person("bob").await;
    let carol = p.person("carol").await;
    posted(&p, &alice, "from alice").await;
    posted(&p, &bob, "from bob").await;
    posted(&p, &carol, "from carol").await;

    let mut tap = testkit::EventTap::bind(&p.social_iso.exchange, "social.user.*").await;
    assert_eq!(
        send(&p, Method::POST, "/users/bob/follow", &alice).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&p, Method::POST, "/users/bob/follow", &alice).await,
        StatusCode::NO_CONTENT
    );
    let (_, home) = get(&p, "/timeline/home", Some(&alice.token)).await;
    assert_eq!(texts(&home), ["from bob", "from alice"]);

    assert_eq!(
        send(&p, Method::DELETE, "/users/bob/follow", &alice).await,
        StatusCode::NO_CONTENT
    );
    let (_, home) = get(&p, "/timeline/home", Some(&alice.token)).await;
    assert_eq!(texts(&home), ["from alice"]);

    // One event per real change, naming both people.
    let wait = std::time::Duration::from_secs(10);
    let followed = tap.next(wait).await.expect("followed event");
    let unfollowed = tap.next(wait).await.expect("unfollowed event");
    let mut events = [followed, unfollowed];
    events.sort_by_key(|e| e.occurred_at);
    assert_eq!(events[0].event_type, "social.user.followed");
    assert_eq!(events[0].data["follower_username"], "alice");
    assert_eq!(events[0].data["followee_id"], bob.id.to_string());
    assert_eq!(events[1].event_type, "social.user.unfollowed");
    assert!(tap
        .next(std::time::Duration::from_millis(300))
        .await
        .is_none());

    assert_eq!(
        send(&p, Method::POST, "/users/alice/follow", &alice).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(&p, Method::POST, "/users/nobody/follow", &alice).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn profiles_count_and_lists_show_followers_and_following() {
    let p = spawn(false).await;
    let alice = p.person("alice").await;
    let bob = p.person("bob").await;
    let carol = p.person("carol").await;
    posted(&p, &bob, "one").await;
    posted(&p, &bob, "two").await;
    send(&p, Method::POST, "/users/bob/follow", &carol).await;
    send(&p, Method::POST, "/users/bob/follow", &alice).await;
    send(&p, Method::POST, "/users/carol/follow", &bob).await;

    let (status, profile) = get(&p, "/users/BOB", Some(&alice.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(profile["username"], "bob");
    assert_eq!(profile["messages"], 2);
    assert_eq!(profile["followers"], 2);
    assert_eq!(profile["following"], 1);
    assert_eq!(profile["followed_by_me"], true);
    let (_, anonymous) = get(&p, "/users/bob", None).await;
    assert!(anonymous["followed_by_me"].is_null());
    assert_eq!(
        get(&p, "/users/nobody", None).await.0,
        StatusCode::NOT_FOUND
    );

    let (_, followers) = get(&p, "/users/bob/followers?sort=username", None).await;
    let names: Vec<&str> = followers["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "carol"]);
    assert_eq!(followers["total"], 2);
    assert_eq!(followers["sort_options"], json!(["username", "since"]));
    // Default: the newest follow first; pages of one.
    let (_, newest) = get(&p, "/users/bob/followers?per_page=1", None).await;
    assert_eq!(newest["items"][0]["username"], "alice");
    let (_, second) = get(&p, "/users/bob/followers?per_page=1&page=2", None).await;
    assert_eq!(second["items"][0]["username"], "carol");
    let (_, following) = get(&p, "/users/bob/following", None).await;
    assert_eq!(following["items"][0]["username"], "carol");
    assert_eq!(following["total"], 1);

    let (status, problem) = get(&p, "/users/bob/followers?sort=email", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("username, since"));
    // CSV is for administrators.
    let (status, _) = get(&p, "/users/bob/followers?format=csv", Some(&alice.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn moderators_hide_messages_from_every_timeline() {
    let p = spawn(false).await;
    let alice = p.person("alice").await;
    let moderator = p.fixture.person_with("mod", &["moderator"], &[]).await;
    send(&p, Method::POST, "/users/alice/follow", &moderator).await;
    let message = posted(&p, &alice, "something rude").await;
    posted(&p, &alice, "something nice").await;
    let id = message["id"].as_i64().unwrap();
    let flag = format!("/messages/{id}/flag");

    assert_eq!(
        send(&p, Method::POST, &flag, &alice).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&p, Method::POST, &flag, &moderator).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&p, Method::POST, "/messages/999999/flag", &moderator).await,
        StatusCode::NOT_FOUND
    );

    let (_, public) = get(&p, "/timeline/public", None).await;
    assert_eq!(texts(&public), ["something nice"]);
    let (_, of_alice) = get(&p, "/users/alice/messages", None).await;
    assert_eq!(texts(&of_alice), ["something nice"]);
    let (_, home) = get(&p, "/timeline/home", Some(&moderator.token)).await;
    assert_eq!(texts(&home), ["something nice"]);
    let (_, profile) = get(&p, "/users/alice", None).await;
    assert_eq!(profile["messages"], 1);
    let simulator: Value = p
        .sim(Method::GET, "/msgs")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contents: Vec<&str> = simulator
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(contents, ["something nice"]);
    // Hidden from others; the author and moderators still see it.
    assert_eq!(
        get(&p, &format!("/messages/{id}"), None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&p, &format!("/messages/{id}"), Some(&alice.token))
            .await
            .1["flagged"],
        true
    );
    let (status, flagged) = get(&p, "/messages/flagged", Some(&moderator.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&flagged), ["something rude"]);
    assert_eq!(
        get(&p, "/messages/flagged", Some(&alice.token)).await.0,
        StatusCode::FORBIDDEN
    );

    assert_eq!(
        send(&p, Method::DELETE, &flag, &moderator).await,
        StatusCode::NO_CONTENT
    );
    let (_, public) = get(&p, "/timeline/public", None).await;
    assert_eq!(texts(&public), ["something nice", "something rude"]);
}
