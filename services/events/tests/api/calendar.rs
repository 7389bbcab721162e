//! My calendar feed: a secret link, all my registrations as RFC 5545 (read
//! back with an iCalendar parser), rotation, and the secret kept out of
//! nginx's access log.

use reqwest::Method;
use serde_json::json;
use testkit::Nginx;

use crate::support::{at, json, open_event, refused, Stack};

/// The VEVENTs of a feed, each as (name, value) pairs, read by a parser.
fn parsed(body: &str) -> Vec<Vec<(String, String)>> {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(body.as_bytes()));
    let calendar = calendars
        .next()
        .expect("a calendar")
        .expect("valid iCalendar");
    assert!(calendars.next().is_none(), "one calendar");
    calendar
        .events
        .into_iter()
        .map(|event| {
            event
                .properties
                .into_iter()
                .map(|p| (p.name, p.value.unwrap_or_default()))
                .collect()
        })
        .collect()
}

fn value<'a>(event: &'a [(String, String)], name: &str) -> &'a str {
    event
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("{name} in {event:?}"))
}

#[tokio::test]
async fn my_calendar_lists_every_registration_behind_a_secret_link_that_rotates() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let (ann, ann_token) = stack.made_up("ann").await;
    let (_, bob_token) = stack.made_up("bob").await;
    let mut body = open_event("cabin", 5);
    body["title"] = json!("Cabin trip; skiing, sauna");
    body["description"] = json!("Bring:\nboots\\skis");
    let confirmed = stack.event(&admin, body).await;
    let full = stack.event(&admin, open_event("cabin", 1)).await;
    let closing = stack.event(&admin, open_event("cabin", 5)).await;
    let now = chrono::Utc::now();
    let past = stack
        .event(
            &admin,
            json!({"title": "Last year's dinner", "starts_at": at(now - chrono::Duration::days(30)),
                   "ends_at": at(now - chrono::Duration::days(29)), "organizer": "cabin", "sign_up": true,
                   "registration_opens_at": at(now - chrono::Duration::days(40)),
                   "registration_closes_at": at(now - chrono::Duration::days(31)),
                   "sign_off_deadline": at(now - chrono::Duration::days(31))}),
        )
        .await;
    let id = |e: &serde_json::Value| e["id"].as_str().unwrap().to_owned();
    json(stack.register(&id(&confirmed), &ann_token).await, 201).await;
    json(stack.register(&id(&full), &bob_token).await, 201).await;
    json(stack.register(&id(&full), &ann_token).await, 201).await;
    json(stack.register(&id(&closing), &ann_token).await, 201).await;
    json(
        stack
            .api(
                Method::PUT,
                &format!("/events/{}/registrations/{ann}", id(&past)),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    json(
        stack
            .api(
                Method::PATCH,
                &format!("/events/{}", id(&closing)),
                Some(&admin),
            )
            .json(&json!({"closed": true}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;

    let auth_port: u16 = stack
        .fixture
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let nginx = Nginx::start([auth_port, 0, stack.events.port, 0]);
    let through_nginx = |method: Method, path: &str| {
        stack
            .http
            .request(method, format!("{}{path}", nginx.url()))
            .header("host", "events.localhost")
    };
    let none = refused(
        through_nginx(Method::GET, "/v1/me/calendar")
            .bearer_auth(&ann_token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    assert!(none.contains("POST /v1/me/calendar"), "{none}");
    let made = json(
        through_nginx(Method::POST, "/v1/me/calendar")
            .bearer_auth(&ann_token)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let url = made["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("http://events.localhost/v1/calendar/"),
        "{url}"
    );
    assert!(url.ends_with(".ics"));
    let shown = json(
        through_nginx(Method::GET, "/v1/me/calendar")
            .bearer_auth(&ann_token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(shown["url"], url.as_str());
    let path = url.trim_start_matches("http://events.localhost").to_owned();
    let secret = path
        .trim_start_matches("/v1/calendar/")
        .trim_end_matches(".ics")
        .to_owned();

    // The feed needs no token: the link is the credential.
    let response = through_nginx(Method::GET, &path).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let body = response.text().await.unwrap();
    assert!(body.ends_with("END:VCALENDAR\r\n"));
    for line in body.split("\r\n") {
        assert!(!line.contains('\n') && line.len() <= 75, "{line:?}");
    }
    let events = parsed(&body);
    assert_eq!(events.len(), 4, "past and upcoming, waiting list included");
    let of = |event: &serde_json::Value| {
        let uid = format!("event-{}@localhost", id(event));
        events
            .iter()
            .find(|e| value(e, "UID") == uid)
            .unwrap_or_else(|| panic!("{uid} in {body}"))
    };
    assert_eq!(value(of(&confirmed), "STATUS"), "CONFIRMED");
    assert_eq!(
        value(of(&confirmed), "SUMMARY"),
        "Cabin trip\\; skiing\\, sauna"
    );
    assert_eq!(
        value(of(&confirmed), "DESCRIPTION"),
        "Bring:\\nboots\\\\skis"
    );
    assert_eq!(value(of(&confirmed), "LOCATION"), "The cabin");
    let starts: chrono::DateTime<chrono::Utc> =
        confirmed["starts_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        value(of(&confirmed), "DTSTART"),
        starts.format("%Y%m%dT%H%M%SZ").to_string()
    );
    assert_eq!(value(of(&full), "STATUS"), "TENTATIVE");
    assert_eq!(value(of(&full), "SUMMARY"), "[Waiting list] Cabin trip");
    assert_eq!(value(of(&closing), "STATUS"), "CANCELLED");
    assert_eq!(value(of(&past), "STATUS"), "CONFIRMED");

    // The same UIDs on the next fetch.
    let again = parsed(
        &through_nginx(Method::GET, &path)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let uids = |events: &[Vec<(String, String)>]| {
        let mut uids: Vec<String> = events.iter().map(|e| value(e, "UID").to_owned()).collect();
        uids.sort();
        uids
    };
    assert_eq!(uids(&again), uids(&events));

    // Rotating retires the old link.
    let rotated = json(
        through_nginx(Method::POST, "/v1/me/calendar")
            .bearer_auth(&ann_token)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_ne!(rotated["url"], url.as_str());
    assert_eq!(
        through_nginx(Method::GET, &path)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let new_path = rotated["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://events.localhost")
        .to_owned();
    assert_eq!(
        through_nginx(Method::GET, &new_path)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for guess in [
        "/v1/calendar/0000000000000000000000000000000000000000000000000000000000000000.ics",
        "/v1/calendar/short.ics",
        "/v1/calendar/%00.ics",
        &format!("/v1/calendar/{secret}"),
    ] {
        let status = through_nginx(Method::GET, guess)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status == 404 || status == 400, "{guess}: {status}");
    }
    assert_eq!(
        stack
            .api(Method::POST, "/me/calendar", None)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    // The secret never reaches nginx's access log.
    testkit::eventually("the feed's lines in the access log", || async {
        nginx.access_log().contains("/v1/calendar/[hidden]")
    })
    .await;
    let log = nginx.access_log();
    assert!(!log.contains(&secret), "{log}");
    stack.stop().await;
}
