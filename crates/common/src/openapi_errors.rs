//! The error answers every operation can give, written into the OpenAPI
//! document once instead of on every handler: the problem+json body, and the
//! statuses that follow from an operation's shape (a path parameter can name
//! nothing, a body can be too large or not JSON, a token can be expired).
//! Also the table of documented paths that tells a wrong method (405) from a
//! missing route (404).

use serde_json::{json, Map, Value};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const PROBLEM: &str = "application/problem+json";

/// Adds the `Problem` schema and, to every operation, the error statuses it
/// can answer and does not list yet; every error answer gets the problem body.
pub fn complete(document: &mut Value) {
    if let Some(schemas) = document
        .pointer_mut("/components")
        .and_then(Value::as_object_mut)
        .map(|components| components.entry("schemas").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    {
        schemas.insert("Problem".into(), problem_schema());
    } else if let Some(root) = document.as_object_mut() {
        root.insert(
            "components".into(),
            json!({"schemas": {"Problem": problem_schema()}}),
        );
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                complete_operation(path, operation);
            }
        }
    }
}

fn complete_operation(path: &str, operation: &mut Map<String, Value>) {
    let has_body = operation.contains_key("requestBody");
    let responses = operation
        .entry("responses")
        .or_insert_with(|| json!({}));
    let Some(responses) = responses.as_object_mut() else {
        return;
    };
    let mut statuses = vec![
        ("400", "The request cannot be read: a query, path or body value of the wrong type or form; `errors` names the fields."),
        ("401", "The access token is missing (where one is needed), invalid or expired."),
        ("503", "Temporarily unavailable (the database, or too many password checks at once); retry after `Retry-After` seconds."),
    ];
    if path.contains('{') {
        statuses.push(("404", "Nothing has the identifier in the path."));
    }
    if has_body {
        statuses.push(("413", "The body is too large."));
        statuses.push(("415", "The body is not JSON (`Content-Type: application/json`)."));
        statuses.push(("422", "Some fields are invalid; `errors` says which and why."));
    }
    for (status, description) in statuses {
        responses
            .entry(status)
            .or_insert_with(|| json!({"description": description}));
    }
    for (status, response) in responses.iter_mut() {
        let is_error = status.starts_with('4') || status.starts_with('5');
        if let (true, Some(response)) = (is_error, response.as_object_mut()) {
            response.entry("content").or_insert_with(
                || json!({PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}),
            );
        }
    }
}

fn problem_schema() -> Value {
    json!({
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string", "description": "What is wrong, for a person to act on."},
            "errors": {
                "type": "object",
                "description": "Field name to the messages about it.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}}
            }
        }
    })
}

/// The documented paths with their methods, to answer a wrong method 405.
#[derive(Debug, Default, Clone)]
pub struct Routes(Vec<(Vec<Segment>, Vec<String>)>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter,
}

impl Routes {
    pub fn of(document: &Value) -> Self {
        let Some(paths) = document.get("paths").and_then(Value::as_object) else {
            return Self::default();
        };
        Self(
            paths
                .iter()
                .map(|(path, item)| {
                    let segments = path
                        .split('/')
                        .map(|segment| {
                            if segment.starts_with('{') && segment.ends_with('}') {
                                Segment::Parameter
                            } else {
                                Segment::Literal(segment.to_owned())
                            }
                        })
                        .collect();
                    let methods = METHODS
                        .iter()
                        .filter(|method| item.get(**method).is_some())
                        .map(|method| method.to_ascii_uppercase())
                        .collect();
                    (segments, methods)
                })
                .collect(),
        )
    }

    /// The methods a documented path answers, if `path` is one.
    pub fn allowed(&self, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.split('/').collect();
        self.0.iter().find_map(|(segments, methods)| {
            let matches = segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(segment, part)| match segment {
                    Segment::Literal(literal) => literal == part,
                    Segment::Parameter => !part.is_empty(),
                });
            matches.then(|| methods.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        json!({
            "paths": {
                "/v1/events/{id}": {
                    "get": {"responses": {"200": {"description": "the event"}}},
                    "patch": {
                        "requestBody": {},
                        "responses": {"200": {"description": ""}, "403": {"description": "not yours"}}
                    }
                },
                "/v1/events": {"get": {"responses": {"200": {"description": ""}}}}
            }
        })
    }

    #[test]
    fn every_operation_lists_the_errors_its_shape_allows_with_the_problem_body() {
        let mut doc = document();
        complete(&mut doc);
        let statuses = |pointer: &str| -> Vec<String> {
            let mut keys: Vec<String> = doc
                .pointer(pointer)
                .and_then(Value::as_object)
                .map(|responses| responses.keys().cloned().collect())
                .unwrap_or_default();
            keys.sort();
            keys
        };
        assert_eq!(statuses("/paths/~1v1~1events/get/responses"), ["200", "400", "401", "503"]);
        assert_eq!(
            statuses("/paths/~1v1~1events~1{id}/patch/responses"),
            ["200", "400", "401", "403", "404", "413", "415", "422", "503"]
        );
        let forbidden = doc.pointer("/paths/~1v1~1events~1{id}/patch/responses/403").cloned();
        assert_eq!(
            forbidden,
            Some(json!({"description": "not yours", "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}))
        );
        assert!(doc.pointer("/components/schemas/Problem").is_some());
        assert!(doc.pointer("/paths/~1v1~1events/get/responses/200/content").is_none());
    }

    #[test]
    fn a_documented_path_says_which_methods_it_answers() {
        let routes = Routes::of(&document());
        assert_eq!(routes.allowed("/v1/events/42").as_deref(), Some("GET, PATCH"));
        assert_eq!(routes.allowed("/v1/events").as_deref(), Some("GET"));
        assert_eq!(routes.allowed("/v1/events/"), None);
        assert_eq!(routes.allowed("/v1/events/42/x"), None);
        assert_eq!(routes.allowed("/v1/nothing"), None);
    }
}
