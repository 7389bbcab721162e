//! News articles: public to read; administrators and committee leaders write.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{spawn, Person, Platform};

fn article(title: &str, group: Option<&str>) -> Value {
    json!({
        "title": title,
        "lead": format!("All about {title}"),
        "body": "The whole story.",
        "group": group,
    })
}

async fn write(p: &Platform, who: &Person, body: Value) -> (StatusCode, Value) {
    let response = p
        .v1(Method::POST, "/news", Some(&who.token))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn administrators_and_committee_leaders_publish_news() {
    let p = spawn(false).await;
    let admin = p.fixture.person_with("admin", &["admin"], &[]).await;
    let leader = p
        .fixture
        .person_with(
            "leader",
            &[],
            &[
                ("party", "committee", "leader"),
                ("chess", "interest_group", "leader"),
            ],
        )
        .await;
    let member = p
        .fixture
        .person_with("member", &[], &[("party", "committee", "member")])
        .await;

    // Who may not.
    assert_eq!(
        write(&p, &member, article("Nope", Some("party"))).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        write(&p, &leader, article("Nope", None)).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, problem) = write(&p, &leader, article("Nope", Some("chess"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(problem["detail"].as_str().unwrap().contains("chess"));

    // Who may.
    let (status, party) = write(&p, &leader, article("Party on Friday", Some("party"))).await;
    assert_eq!(status, StatusCode::CREATED, "{party}");
    assert_eq!(party["group_slug"], "party");
    assert_eq!(party["author_username"], "leader");
    assert!(
        party["image_url"].is_null() && party["image"].is_null(),
        "{party}"
    );
    let (status, general) = write(&p, &admin, article("Annual meeting", None)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(general["group_slug"].is_null());

    // Precise field errors.
    let (status, problem) = write(
        &p,
        &admin,
        json!({"title": " ", "lead": "x", "body": "y", "image_url": "javascript:alert(1)"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["title"].is_array());
    assert!(problem["errors"]["image_url"].is_array());
    assert!(problem["errors"].get("lead").is_none());

    // Anyone reads.
    let id = party["id"].as_i64().unwrap();
    let one: Value = p
        .v1(Method::GET, &format!("/news/{id}"), None)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["body"], "The whole story.");
    assert_eq!(
        p.v1(Method::GET, "/news/424242", None)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn news_lists_sort_filter_and_page() {
    let p = spawn(false).await;
    let admin = p.fixture.person_with("admin", &["admin"], &[]).await;
    for (title, group) in [
        ("Bravo", Some("party")),
        ("Alpha", None),
        ("Charlie", Some("party")),
    ] {
        assert_eq!(
            write(&p, &admin, article(title, group)).await.0,
            StatusCode::CREATED
        );
    }
    let list = |query: &'static str| {
        let request = p.v1(Method::GET, &format!("/news{query}"), None);
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };
    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, newest) = list("").await;
    assert_eq!(titles(&newest), ["Charlie", "Alpha", "Bravo"]);
    assert_eq!(newest["total"], 3);
    assert_eq!(newest["sort"], "-created_at");
    assert_eq!(
        newest["sort_options"],
        json!(["created_at", "updated_at", "title"])
    );
    let (_, by_title) = list("?sort=title&per_page=2&page=2").await;
    assert_eq!(titles(&by_title), ["Charlie"]);
    let (_, party) = list("?group=party&sort=-title").await;
    assert_eq!(titles(&party), ["Charlie", "Bravo"]);
    let (_, found) = list("?q=about%20alpha").await;
    assert_eq!(titles(&found), ["Alpha"]);
    let (status, problem) = list("?sort=body").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("created_at, updated_at, title"));
    // Administrators may export.
    let csv = p
        .v1(
            Method::GET,
            "/news?format=csv&sort=title",
            Some(&admin.token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("id,title,lead,author,group,created_at,updated_at\r\n"));
    assert_eq!(text.lines().count(), 4);
}

#[tokio::test]
async fn authors_leaders_and_administrators_edit_and_delete_articles() {
    let p = spawn(false).await;
    let admin = p.fixture.person_with("admin", &["admin"], &[]).await;
    let author = p
        .fixture
        .person_with("author", &[], &[("party", "committee", "leader")])
        .await;
    let stranger = p.person("stranger").await;
    let (_, created) = write(&p, &author, article("Draft", Some("party"))).await;
    let path = format!("/news/{}", created["id"]);

    let change = |who: &Person, body: Value| {
        p.v1(Method::PATCH, &path, Some(&who.token))
            .json(&body)
            .send()
    };
    assert_eq!(
        change(&stranger, json!({"title": "Mine"}))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let edited = change(&author, json!({"title": "Final", "image_url": null}))
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["title"], "Final");
    assert_eq!(edited["lead"], "All about Draft");
    assert!(edited["image_url"].is_null());
    assert_ne!(edited["updated_at"], created["updated_at"]);
    let refused = change(&author, json!({"body": ""})).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        p.v1(Method::DELETE, &path, Some(&stranger.token))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        p.v1(Method::DELETE, &path, Some(&admin.token))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        p.v1(Method::GET, &path, None)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// auth's `/v1/me/permissions` says `news.write` exactly when social lets the
/// person publish news for a group they lead.
#[tokio::test]
async fn permissions_grant_news_writing_exactly_where_social_allows_it() {
    let p = spawn(false).await;
    for (name, kind) in [
        ("board_leader", "board"),
        ("chess_leader", "interest_group"),
        ("party_leader", "committee"),
        ("kids_leader", "subgroup"),
    ] {
        let slug = format!("{kind}-group");
        let person = p
            .fixture
            .person_with(name, &[], &[(slug.as_str(), kind, "leader")])
            .await;
        let permissions: Value = p
            .http
            .get(format!("{}/v1/me/permissions", p.auth))
            .bearer_auth(&person.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let says = permissions["can"]
            .as_array()
            .unwrap()
            .contains(&json!("news.write"));
        let (status, body) = write(&p, &person, article("Hello", Some(&slug))).await;
        let may = status == StatusCode::CREATED;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::FORBIDDEN,
            "{body}"
        );
        assert_eq!(
            says, may,
            "leader of a {kind}: permissions say {says}, social answers {status}"
        );
        assert_eq!(may, kind == "committee", "leader of a {kind}");
    }
}
