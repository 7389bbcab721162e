//! Forms: an event's survey and evaluation. What a valid question and a
//! valid answer are, and the per-question summary organizers read.

use common::{ApiError, Validator};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

pub const SURVEY: &str = "survey";
pub const EVALUATION: &str = "evaluation";

pub const TEXT: &str = "text";
pub const SINGLE_CHOICE: &str = "single_choice";
pub const MULTIPLE_CHOICE: &str = "multiple_choice";

const MAX_QUESTIONS: usize = 100;
const MAX_CHOICES: usize = 50;
const MAX_QUESTION_TEXT: usize = 1_000;
const MAX_CHOICE_TEXT: usize = 200;
const MAX_ANSWER_TEXT: usize = 5_000;
pub const MAX_TITLE: usize = 200;

/// A question of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub text: String,
    /// `text`, `single_choice` or `multiple_choice`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The choices of a choice question (none for text).
    #[serde(default)]
    pub choices: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

/// The checks of a form's title and questions (a form without questions is
/// refused), each problem naming its field (`questions[2].choices`).
pub fn check_form(v: &mut Validator, title: &str, questions: &[Question]) {
    short_text(v, "title", title, MAX_TITLE);
    v.check(!title.trim().is_empty(), "title", "must not be empty");
    v.check(
        !questions.is_empty(),
        "questions",
        "a form needs at least one question",
    );
    v.check(
        questions.len() <= MAX_QUESTIONS,
        "questions",
        format!("at most {MAX_QUESTIONS} questions"),
    );
    for (i, q) in questions.iter().enumerate() {
        let field = format!("questions[{i}]");
        short_text(v, &format!("{field}.text"), &q.text, MAX_QUESTION_TEXT);
        v.check(
            !q.text.trim().is_empty(),
            &format!("{field}.text"),
            "must not be empty",
        );
        let choices = format!("{field}.choices");
        match q.kind.as_str() {
            TEXT => {
                v.check(
                    q.choices.is_empty(),
                    &choices,
                    "a text question has no choices",
                );
            }
            SINGLE_CHOICE | MULTIPLE_CHOICE => {
                v.check(
                    (2..=MAX_CHOICES).contains(&q.choices.len()),
                    &choices,
                    format!("a choice question has 2 to {MAX_CHOICES} choices"),
                );
                for choice in &q.choices {
                    short_text(v, &choices, choice, MAX_CHOICE_TEXT);
                    v.check(
                        !choice.trim().is_empty(),
                        &choices,
                        "a choice must not be empty",
                    );
                }
                let mut distinct = q.choices.clone();
                distinct.sort();
                distinct.dedup();
                v.check(
                    distinct.len() == q.choices.len(),
                    &choices,
                    "choices must differ",
                );
            }
            _ => {
                v.check(
                    false,
                    &format!("{field}.type"),
                    "must be text, single_choice or multiple_choice",
                );
            }
        }
    }
}

fn short_text(v: &mut Validator, field: &str, value: &str, max: usize) {
    crate::domain::validate::text(v, field, value, max);
}

/// Checks one person's answers: one entry per question, in order: a string
/// for a text or single-choice question, a list of strings for a
/// multiple-choice one, `null` (or an empty answer) for an optional question
/// left out. 422 naming each wrong entry (`answers[1]`).
pub fn check_answers(questions: &[Question], answers: &[Value]) -> Result<(), ApiError> {
    let mut v = Validator::new();
    v.check(
        answers.len() == questions.len(),
        "answers",
        format!(
            "give one answer per question ({}), null for an optional one left out",
            questions.len()
        ),
    );
    for (i, (q, a)) in questions.iter().zip(answers).enumerate() {
        let field = format!("answers[{i}]");
        let given = !is_empty_answer(a);
        v.check(
            !q.required || given,
            &field,
            "this question needs an answer",
        );
        if !given {
            continue;
        }
        match (q.kind.as_str(), a) {
            (TEXT, Value::String(text)) => {
                short_text(&mut v, &field, text, MAX_ANSWER_TEXT);
            }
            (SINGLE_CHOICE, Value::String(choice)) => {
                v.check(q.choices.contains(choice), &field, "not one of the choices");
            }
            (MULTIPLE_CHOICE, Value::Array(picked)) => {
                let mut names: Vec<&str> = picked.iter().filter_map(Value::as_str).collect();
                v.check(names.len() == picked.len(), &field, "choices are strings");
                v.check(
                    names.iter().all(|n| q.choices.iter().any(|c| c == n)),
                    &field,
                    "not one of the choices",
                );
                names.sort_unstable();
                names.dedup();
                v.check(
                    names.len() == picked.len(),
                    &field,
                    "a choice is picked twice",
                );
            }
            (MULTIPLE_CHOICE, _) => {
                v.check(false, &field, "a list of choices");
            }
            _ => {
                v.check(false, &field, "a string");
            }
        }
    }
    v.finish()
}

fn is_empty_answer(answer: &Value) -> bool {
    match answer {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// One answer as a table cell: text as given, choices joined by "; ".
pub fn cell(answer: Option<&Value>) -> String {
    match answer {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(picked)) => picked
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

/// What a question's answers add up to.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct QuestionSummary {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// How many answered it.
    pub answered: usize,
    /// For choice questions: each choice with how many picked it, in the
    /// form's order.
    pub choices: Vec<ChoiceCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ChoiceCount {
    pub choice: String,
    pub count: usize,
}

/// Per-question counts over every answer.
pub fn summary(questions: &[Question], answers: &[Vec<Value>]) -> Vec<QuestionSummary> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let given: Vec<&Value> = answers
                .iter()
                .filter_map(|a| a.get(i))
                .filter(|a| !is_empty_answer(a))
                .collect();
            let picked = |choice: &str| {
                given
                    .iter()
                    .filter(|a| match a {
                        Value::String(s) => s == choice,
                        Value::Array(list) => list.iter().any(|x| x.as_str() == Some(choice)),
                        _ => false,
                    })
                    .count()
            };
            QuestionSummary {
                text: q.text.clone(),
                kind: q.kind.clone(),
                answered: given.len(),
                choices: q
                    .choices
                    .iter()
                    .map(|c| ChoiceCount {
                        choice: c.clone(),
                        count: picked(c),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn questions() -> Vec<Question> {
        serde_json::from_value(json!([
            {"text": "Anything we should know?", "type": "text"},
            {"text": "Meal", "type": "single_choice", "choices": ["meat", "fish", "vegan"], "required": true},
            {"text": "Activities", "type": "multiple_choice", "choices": ["ski", "sauna"]}
        ]))
        .unwrap_or_default()
    }

    #[test]
    fn answers_follow_their_questions() {
        let q = questions();
        assert!(check_answers(&q, &[json!(null), json!("fish"), json!(["ski", "sauna"])]).is_ok());
        assert!(check_answers(&q, &[json!(""), json!("vegan"), json!([])]).is_ok());
        let wrong = |answers: Vec<Value>, field: &str| {
            let error = check_answers(&q, &answers).unwrap_err();
            let body = serde_json::to_string(&error.errors).unwrap_or_default();
            assert!(body.contains(field), "{field} in {body}");
        };
        wrong(vec![json!(null), json!(null), json!(null)], "answers[1]");
        wrong(
            vec![json!(null), json!("chicken"), json!(null)],
            "answers[1]",
        );
        wrong(
            vec![json!(null), json!("fish"), json!(["ski", "ski"])],
            "answers[2]",
        );
        wrong(vec![json!(null), json!("fish"), json!("ski")], "answers[2]");
        wrong(vec![json!(3), json!("fish"), json!(null)], "answers[0]");
        wrong(vec![json!("fish")], "answers");
    }

    #[test]
    fn forms_need_questions_with_sensible_choices() {
        let mut v = Validator::new();
        check_form(&mut v, "Survey", &questions());
        assert!(v.finish().is_ok());
        let mut v = Validator::new();
        check_form(&mut v, "Survey", &[]);
        assert!(v.finish().is_err());
        let bad: Vec<Question> = serde_json::from_value(json!([
            {"text": "Pick", "type": "single_choice", "choices": ["one"]},
            {"text": "Pick", "type": "multiple_choice", "choices": ["a", "a"]},
            {"text": "Say", "type": "text", "choices": ["x", "y"]},
            {"text": "", "type": "rating"}
        ]))
        .unwrap_or_default();
        let mut v = Validator::new();
        check_form(&mut v, "Survey", &bad);
        let body = serde_json::to_string(&v.finish().unwrap_err().errors).unwrap_or_default();
        for field in [
            "questions[0].choices",
            "questions[1].choices",
            "questions[2].choices",
            "questions[3].text",
            "questions[3].type",
        ] {
            assert!(body.contains(field), "{field} in {body}");
        }
    }

    #[test]
    fn the_summary_counts_each_choice() {
        let q = questions();
        let answers = vec![
            vec![json!("hi"), json!("fish"), json!(["ski"])],
            vec![json!(null), json!("fish"), json!(["ski", "sauna"])],
            vec![json!(""), json!("meat"), json!([])],
        ];
        let s = summary(&q, &answers);
        assert_eq!(s[0].answered, 1);
        assert_eq!(
            s[1].choices.iter().map(|c| c.count).collect::<Vec<_>>(),
            [1, 2, 0]
        );
        assert_eq!(s[2].answered, 2);
        assert_eq!(
            s[2].choices.iter().map(|c| c.count).collect::<Vec<_>>(),
            [2, 1]
        );
        assert_eq!(cell(Some(&json!(["ski", "sauna"]))), "ski; sauna");
    }
}
