//! Forms: the survey answered before registering, the evaluation answered by
//! attendees (and needed before registering for events that enforce
//! strikes), answers as a table, CSV and summary, and what I should answer.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{at, json, open_event, refused_with, Stack};

fn questions() -> Value {
    json!([
        {"text": "Anything we should know?", "type": "text"},
        {"text": "Meal", "type": "single_choice", "choices": ["meat", "fish", "vegan"], "required": true},
        {"text": "Activities", "type": "multiple_choice", "choices": ["ski", "sauna"]}
    ])
}

async fn form(stack: &Stack, token: &str, event: &str, kind: &str) -> Value {
    json(
        stack
            .api(Method::POST, &format!("/events/{event}/forms"), Some(token))
            .json(&json!({"kind": kind, "title": format!("The {kind}"), "questions": questions()}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await
}

async fn answer(stack: &Stack, token: &str, form: &str, answers: Value) -> reqwest::Response {
    stack
        .api(Method::POST, &format!("/forms/{form}/answers"), Some(token))
        .json(&json!({ "answers": answers }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_survey_is_answered_once_before_registering_and_leaves_with_the_registration() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let event = stack.event(&admin, open_event("cabin", 5)).await;
    let id = event["id"].as_str().unwrap();
    let (_, ann) = stack.made_up("ann").await;
    let (bob_id, bob) = stack.made_up("bob").await;
    let (cat_id, cat) = stack.made_up("cat").await;
    let create = |token: &str, body: Value| {
        stack
            .api(Method::POST, &format!("/events/{id}/forms"), Some(token))
            .json(&body)
            .send()
    };
    // Only writers; no form without questions; each field checked.
    assert_eq!(
        create(
            &ann,
            json!({"kind": "survey", "title": "S", "questions": questions()})
        )
        .await
        .unwrap()
        .status(),
        403
    );
    let empty = json(
        create(
            &admin,
            json!({"kind": "survey", "title": "S", "questions": []}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert!(empty["errors"]["questions"].is_array(), "{empty}");
    let odd = json(
        create(
            &admin,
            json!({"kind": "poll", "title": "", "questions": [{"text": "?", "type": "rating"}]}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    for field in ["kind", "title", "questions[0].type"] {
        assert!(odd["errors"].get(field).is_some(), "{field} in {odd}");
    }
    let survey = form(&stack, &admin, id, "survey").await;
    let survey_id = survey["id"].as_str().unwrap().to_owned();
    assert_eq!(survey["editable"], true);
    refused_with(
        create(
            &admin,
            json!({"kind": "survey", "title": "S", "questions": questions()}),
        )
        .await
        .unwrap(),
        409,
        "form_exists",
    )
    .await;

    // No registration without the survey.
    refused_with(stack.register(id, &ann).await, 400, "survey_unanswered").await;
    let wrong = json(
        answer(&stack, &ann, &survey_id, json!([null, "chicken", ["ski"]])).await,
        422,
    )
    .await;
    assert!(wrong["errors"]["answers[1]"].is_array(), "{wrong}");
    json(
        answer(
            &stack,
            &ann,
            &survey_id,
            json!(["No nuts, please", "fish", ["ski", "sauna"]]),
        )
        .await,
        201,
    )
    .await;
    refused_with(
        answer(&stack, &ann, &survey_id, json!([null, "meat", []])).await,
        409,
        "already_answered",
    )
    .await;
    json(stack.register(id, &ann).await, 201).await;

    // Answered: the questions are fixed.
    let listed = json(
        stack
            .api(Method::GET, &format!("/events/{id}/forms"), Some(&cat))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(listed[0]["kind"], "survey");
    assert_eq!(listed[0]["answers"], 1);
    assert_eq!(listed[0]["editable"], false);
    refused_with(
        stack
            .api(Method::PATCH, &format!("/forms/{survey_id}"), Some(&admin))
            .json(&json!({"questions": [{"text": "New?", "type": "text"}]}))
            .send()
            .await
            .unwrap(),
        409,
        "form_answered",
    )
    .await;

    // Organizers may add people who did not answer; they see it in their list.
    for user in [bob_id, cat_id] {
        json(
            stack
                .api(
                    Method::PUT,
                    &format!("/events/{id}/registrations/{user}"),
                    Some(&admin),
                )
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
    }
    let todo = json(
        stack
            .api(Method::GET, "/me/forms?unanswered=true", Some(&cat))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(todo.as_array().unwrap().len(), 1);
    assert_eq!(todo[0]["form_id"], survey_id.as_str());
    assert_eq!(todo[0]["answered"], false);
    json(
        answer(&stack, &bob, &survey_id, json!(["", "fish", []])).await,
        201,
    )
    .await;
    json(
        answer(&stack, &cat, &survey_id, json!(["=1+1", "meat", ["ski"]])).await,
        201,
    )
    .await;

    let summary = json(
        stack
            .api(
                Method::GET,
                &format!("/forms/{survey_id}/summary"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(summary["answers"], 3);
    assert_eq!(summary["questions"][0]["answered"], 2);
    let counts: Vec<i64> = summary["questions"][1]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [1, 2, 0], "meat, fish, vegan");
    let table = json(
        stack
            .api(
                Method::GET,
                &format!("/forms/{survey_id}/answers?sort=username"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(table["total"], 3);
    assert_eq!(table["items"][0]["username"], "ann");
    assert_eq!(table["items"][0]["answers"][2], json!(["ski", "sauna"]));
    let csv = stack
        .api(
            Method::GET,
            &format!("/forms/{survey_id}/answers?format=csv&sort=username"),
            Some(&admin),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "username,answered_at,Anything we should know?,Meal,Activities"
    );
    assert!(
        lines[1].starts_with("ann,") && lines[1].ends_with(",\"No nuts, please\",fish,ski; sauna"),
        "{csv}"
    );
    assert!(
        lines[3].starts_with("cat,") && lines[3].contains(",'=1+1,"),
        "formulas defused: {csv}"
    );
    for (path, who) in [("answers", &ann), ("summary", &ann)] {
        let status = stack
            .api(
                Method::GET,
                &format!("/forms/{survey_id}/{path}"),
                Some(who),
            )
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 403, "{path}");
    }

    // Leaving takes the survey answer along.
    json(stack.leave(id, &ann).await, 204).await;
    let form_now = json(
        stack
            .api(Method::GET, &format!("/forms/{survey_id}"), Some(&ann))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(form_now["answers"], 2);
    refused_with(stack.register(id, &ann).await, 400, "survey_unanswered").await;
    // Deleting the form: writers only, answers go with it.
    let path = format!("/forms/{survey_id}");
    assert_eq!(
        stack
            .api(Method::DELETE, &path, Some(&bob))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        stack
            .api(Method::DELETE, &path, Some(&admin))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        stack
            .api(Method::GET, &path, Some(&admin))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    json(stack.register(id, &ann).await, 201).await;
    stack.stop().await;
}

#[tokio::test]
async fn attendees_evaluate_after_the_event_before_registering_where_strikes_are_enforced() {
    let stack = Stack::start().await;
    stack.group("cabin", "committee").await;
    let admin = stack.admin.token.clone();
    let now = Utc::now();
    let past = stack
        .event(
            &admin,
            json!({"title": "Autumn party", "organizer": "cabin", "sign_up": true,
                   "starts_at": at(now - Duration::days(3)), "ends_at": at(now - Duration::days(2)),
                   "registration_opens_at": at(now - Duration::days(10)),
                   "registration_closes_at": at(now - Duration::days(4)),
                   "sign_off_deadline": at(now - Duration::days(4))}),
        )
        .await;
    let past_id = past["id"].as_str().unwrap();
    let (ann_id, ann) = stack.made_up("ann").await;
    let (bob_id, bob) = stack.made_up("bob").await;
    for user in [ann_id, bob_id] {
        json(
            stack
                .api(
                    Method::PUT,
                    &format!("/events/{past_id}/registrations/{user}"),
                    Some(&admin),
                )
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
    }
    json(
        stack
            .api(
                Method::POST,
                &format!("/events/{past_id}/registrations/{ann_id}/check-in"),
                Some(&admin),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let evaluation = form(&stack, &admin, past_id, "evaluation").await;
    let evaluation_id = evaluation["id"].as_str().unwrap().to_owned();
    let strict = stack.event(&admin, open_event("cabin", 5)).await;
    let mut lenient = open_event("cabin", 5);
    lenient["enforces_previous_strikes"] = json!(false);
    let lenient = stack.event(&admin, lenient).await;

    // Ann attended and has not evaluated: refused where strikes are enforced.
    let due = refused_with(
        stack.register(strict["id"].as_str().unwrap(), &ann).await,
        400,
        "evaluation_due",
    )
    .await;
    assert!(
        due["detail"].as_str().unwrap().contains("Autumn party"),
        "{due}"
    );
    json(
        stack.register(lenient["id"].as_str().unwrap(), &ann).await,
        201,
    )
    .await;
    // Bob was not checked in (attendance was taken): no evaluation, no gate.
    refused_with(
        answer(&stack, &bob, &evaluation_id, json!([null, "fish", []])).await,
        403,
        "not_attended",
    )
    .await;
    json(
        stack.register(strict["id"].as_str().unwrap(), &bob).await,
        201,
    )
    .await;
    let bobs = json(
        stack
            .api(Method::GET, "/me/forms", Some(&bob))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(bobs, json!([]));

    let todo = json(
        stack
            .api(Method::GET, "/me/forms?unanswered=true", Some(&ann))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(todo.as_array().unwrap().len(), 1, "{todo}");
    assert_eq!(todo[0]["kind"], "evaluation");
    assert_eq!(todo[0]["event_title"], "Autumn party");
    json(
        answer(&stack, &ann, &evaluation_id, json!(["Great", "fish", []])).await,
        201,
    )
    .await;
    json(
        stack.register(strict["id"].as_str().unwrap(), &ann).await,
        201,
    )
    .await;
    let done = json(
        stack
            .api(Method::GET, "/me/forms?unanswered=true", Some(&ann))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(done, json!([]));

    // An evaluation opens when the event has ended.
    let early = form(&stack, &admin, strict["id"].as_str().unwrap(), "evaluation").await;
    refused_with(
        answer(
            &stack,
            &ann,
            early["id"].as_str().unwrap(),
            json!([null, "fish", []]),
        )
        .await,
        403,
        "not_ended",
    )
    .await;
    stack.stop().await;
}
