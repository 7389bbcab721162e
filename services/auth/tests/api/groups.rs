use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::EventTap;

use crate::support::{problem, spawn_app, Person, Session, TestApp};
use testkit::refused_with;

async fn create_group(app: &TestApp, admin: &Person, slug: &str, kind: &str) {
    let response = app
        .post(
            "/v1/groups",
            json!({"slug": slug, "name": slug.to_uppercase(), "kind": kind}),
            Some(&admin.session.access_token),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{}",
        response.text().await.unwrap()
    );
}

async fn add(app: &TestApp, by: &Person, slug: &str, who: &Person, role: &str) -> StatusCode {
    app.post(
        &format!("/v1/groups/{slug}/members"),
        json!({"user_id": who.id, "role": role}),
        Some(&by.session.access_token),
    )
    .await
    .status()
}

async fn members(app: &TestApp, token: Option<&str>, slug: &str, query: &str) -> Value {
    app.get(&format!("/v1/groups/{slug}/members{query}"), token)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn only_admins_create_groups_with_valid_fields() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let person = app.person("Wannabe").await;
    let body = json!({"slug": "board", "name": "The Board", "kind": "board"});
    assert_eq!(
        app.post(
            "/v1/groups",
            body.clone(),
            Some(&person.session.access_token)
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            "/v1/groups",
            body.clone(),
            Some(&admin.session.access_token)
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        app.post("/v1/groups", body, Some(&admin.session.access_token))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let bad = app
        .post(
            "/v1/groups",
            json!({"slug": "Bad Slug", "name": "", "kind": "cult"}),
            Some(&admin.session.access_token),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    for field in ["slug", "name", "kind"] {
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
}

#[tokio::test]
async fn leaders_manage_members_and_a_new_leader_demotes_the_old() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (leader, member, next) = (
        app.person("Leader").await,
        app.person("Member").await,
        app.person("Next").await,
    );
    create_group(&app, &admin, "kitchen", "committee").await;
    let mut tap = EventTap::bind(&app.iso.exchange, "auth.membership.changed").await;

    assert_eq!(
        add(&app, &admin, "kitchen", &leader, "leader").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        add(&app, &leader, "kitchen", &member, "member").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        add(&app, &leader, "kitchen", &member, "member").await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        add(&app, &member, "kitchen", &next, "member").await,
        StatusCode::FORBIDDEN,
        "members do not manage"
    );

    let joined = tap.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(joined.data["change"], "joined");
    assert_eq!(joined.data["group_slug"], "kitchen");

    assert_eq!(
        add(&app, &leader, "kitchen", &next, "leader").await,
        StatusCode::NO_CONTENT
    );
    let current = members(&app, None, "kitchen", "?sort=username").await;
    let roles: Vec<(String, String)> = current["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["username"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            ("Leader".into(), "member".into()),
            ("Member".into(), "member".into()),
            ("Next".into(), "leader".into())
        ]
    );
    let history = members(&app, None, "kitchen", "?history=true").await;
    assert_eq!(
        history["total"], 1,
        "the old leadership is history: {history}"
    );
    assert_eq!(history["items"][0]["role"], "leader");

    // The demoted leader can no longer manage.
    let remove = app
        .delete(
            &format!("/v1/groups/kitchen/members/{}", member.id),
            &leader.session.access_token,
        )
        .await;
    assert_eq!(remove.status(), StatusCode::FORBIDDEN);
    // Anyone may leave.
    let leave = app
        .delete(
            &format!("/v1/groups/kitchen/members/{}", member.id),
            &member.session.access_token,
        )
        .await;
    assert_eq!(leave.status(), StatusCode::NO_CONTENT);
    assert_eq!(members(&app, None, "kitchen", "").await["total"], 2);
}

#[tokio::test]
async fn tokens_carry_groups_and_roles() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let person = app.person("Joiner").await;
    create_group(&app, &admin, "chess", "interest_group").await;
    add(&app, &admin, "chess", &person, "leader").await;
    let session: Session = app
        .login("Joiner", &person.password)
        .await
        .json()
        .await
        .unwrap();
    let payload = session.access_token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        claims["groups"],
        json!([{"slug": "chess", "role": "leader", "kind": "interest_group"}])
    );
    assert_eq!(claims["sub"], person.id.to_string());
    assert_eq!(claims["iss"], "platform-auth");
    assert_eq!(claims["aud"], "platform");
    assert!(claims["jti"].is_string());
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        900
    );
}

#[tokio::test]
async fn private_groups_are_invisible_to_outsiders() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (insider, outsider) = (app.person("Insider").await, app.person("Outsider").await);
    create_group(&app, &admin, "secret", "private").await;
    create_group(&app, &admin, "open", "study").await;
    add(&app, &admin, "secret", &insider, "member").await;

    let listed = |token: Option<String>| {
        let app = &app;
        async move {
            let page: Value = app
                .get("/v1/groups", token.as_deref())
                .await
                .json()
                .await
                .unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["slug"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(None).await, vec!["open"]);
    assert_eq!(
        listed(Some(outsider.session.access_token.clone())).await,
        vec!["open"]
    );
    assert_eq!(
        listed(Some(insider.session.access_token.clone())).await,
        vec!["open", "secret"]
    );
    assert_eq!(
        listed(Some(admin.session.access_token.clone())).await,
        vec!["open", "secret"]
    );

    assert_eq!(
        app.get("/v1/groups/secret", Some(&outsider.session.access_token))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/v1/groups/secret/members", None).await.status(),
        StatusCode::NOT_FOUND
    );
    let seen = members(&app, Some(&insider.session.access_token), "secret", "").await;
    assert_eq!(seen["total"], 1);
}

#[tokio::test]
async fn leaders_edit_their_group_and_admins_delete_groups() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let leader = app.person("Chair").await;
    create_group(&app, &admin, "board", "board").await;
    add(&app, &admin, "board", &leader, "leader").await;
    let edited: Value = app
        .patch(
            "/v1/groups/board",
            json!({"description": "Runs things"}),
            &leader.session.access_token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(edited["description"], "Runs things");
    // The kind decides rights elsewhere (committee leaders publish news): a
    // leader cannot make their board a committee; an administrator can.
    let promoted = app
        .patch(
            "/v1/groups/board",
            json!({"kind": "committee"}),
            &leader.session.access_token,
        )
        .await;
    assert_eq!(promoted.status(), StatusCode::FORBIDDEN);
    refused_with(promoted, 403, "kind_admin_only").await;
    let unchanged = app
        .patch(
            "/v1/groups/board",
            json!({"kind": "board", "name": "The Board"}),
            &leader.session.access_token,
        )
        .await;
    assert_eq!(
        unchanged.status(),
        StatusCode::OK,
        "restating the kind is fine"
    );
    let by_admin: Value = app
        .patch(
            "/v1/groups/board",
            json!({"kind": "committee"}),
            &admin.session.access_token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_admin["kind"], "committee");
    assert_eq!(
        app.delete("/v1/groups/board", &leader.session.access_token)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete("/v1/groups/board", &admin.session.access_token)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/v1/groups/board", None).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_taken_slug_is_named_without_database_internals() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Eight at once: the losers of the race meet the database's unique index.
    let attempts = (0..8).map(|i| {
        app.post(
            "/v1/groups",
            json!({"slug": "kitchen", "name": format!("Kitchen {i}"), "kind": "committee"}),
            Some(&admin.session.access_token),
        )
    });
    let answers = futures_util::future::join_all(attempts).await;
    let mut created = 0;
    for answer in answers {
        if answer.status() == StatusCode::CREATED {
            created += 1;
            continue;
        }
        assert_eq!(answer.status(), StatusCode::CONFLICT);
        let detail = problem(answer).await["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains("slug"), "{detail}");
        assert!(
            !detail.contains("_key") && !detail.contains("constraint"),
            "{detail}"
        );
    }
    assert_eq!(created, 1);
}
