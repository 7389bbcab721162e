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
    if let Some(schemas) = document.pointer_mut("/components/schemas") {
        if let Some(schemas) = schemas.as_object_mut() {
            schemas.values_mut().for_each(forbid_nul);
        }
    }
    let refusals = take_refusal_codes(document);
    // After: error details may quote what a client sent, NUL included.
    if let Some(schemas) = document
        .pointer_mut("/components")
        .and_then(Value::as_object_mut)
        .map(|components| components.entry("schemas").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    {
        schemas.insert("Problem".into(), problem_schema(&refusals));
    } else if let Some(root) = document.as_object_mut() {
        root.insert(
            "components".into(),
            json!({"schemas": {"Problem": problem_schema(&refusals)}}),
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
    keep_last_of_each_parameter(operation);
    if let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    {
        for parameter in parameters {
            if let Some(schema) = parameter.get_mut("schema") {
                forbid_nul(schema);
            }
        }
    }
    if let Some(contents) = operation
        .get_mut("requestBody")
        .and_then(|body| body.get_mut("content"))
        .and_then(Value::as_object_mut)
    {
        for content in contents.values_mut() {
            if let Some(schema) = content.get_mut("schema") {
                forbid_nul(schema);
            }
        }
    }
    let has_body = operation.contains_key("requestBody");
    let secured = operation
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|requirements| !requirements.is_empty());
    let has_query = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|parameters| {
            parameters
                .iter()
                .any(|parameter| parameter.get("in") == Some(&json!("query")))
        });
    let exports = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|parameters| {
            parameters
                .iter()
                .any(|parameter| parameter.get("name") == Some(&json!("format")))
        });
    let responses = operation.entry("responses").or_insert_with(|| json!({}));
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
    if exports || secured {
        statuses.push((
            "403",
            "Not allowed to the caller (a right it lacks; CSV exports are for administrators).",
        ));
    }
    if has_body || has_query {
        statuses.push((
            "422",
            "Some fields are invalid; `errors` says which and why.",
        ));
    }
    if has_body {
        statuses.push(("413", "The body is too large."));
        statuses.push((
            "415",
            "The body is not JSON (`Content-Type: application/json`).",
        ));
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

/// PostgreSQL stores no NUL character, so no text the platform takes may hold
/// one (it is answered 400): free-text strings say so with a pattern.
fn forbid_nul(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let is_string = match object.get("type") {
        Some(Value::String(kind)) => kind == "string",
        Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "string"),
        _ => false,
    };
    // A format (uuid, date-time, email) already excludes NUL; passwords are
    // only hashed, so any character is fine in them.
    let constrained = ["pattern", "format", "enum", "const"]
        .iter()
        .any(|key| object.contains_key(*key));
    if is_string && !constrained {
        object.insert("pattern".into(), json!("^[^\\u0000]*$"));
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = object.get_mut(key) {
            forbid_nul(inner);
        }
    }
    if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
        properties.values_mut().for_each(forbid_nul);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(options) = object.get_mut(key).and_then(Value::as_array_mut) {
            options.iter_mut().for_each(forbid_nul);
        }
    }
}

/// A handler may declare a shared parameter again, more precisely (a list's
/// `sort` with the fields it sorts by): the last declaration stands.
fn keep_last_of_each_parameter(operation: &mut Map<String, Value>) {
    let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let key = |parameter: &Value| {
        (
            parameter.get("name").cloned().unwrap_or_default(),
            parameter.get("in").cloned().unwrap_or_default(),
        )
    };
    let mut kept: Vec<Value> = Vec::with_capacity(parameters.len());
    for parameter in parameters.drain(..) {
        kept.retain(|earlier| key(earlier) != key(&parameter));
        kept.push(parameter);
    }
    *parameters = kept;
}

/// The service's refusal codes (code, meaning) that [`RefusalCodes`] left
/// in the `RefusalCode` schema; the schema itself goes, as `Problem.code` lists them.
fn take_refusal_codes(document: &mut Value) -> Vec<(String, String)> {
    let Some(schema) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .and_then(|schemas| schemas.remove(REFUSAL_SCHEMA))
    else {
        return vec![];
    };
    let meanings = schema.get("x-meanings").cloned().unwrap_or_default();
    schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|code| {
            let meaning = meanings.get(code).and_then(Value::as_str).unwrap_or("");
            (code.to_owned(), meaning.to_owned())
        })
        .collect()
}

const REFUSAL_SCHEMA: &str = "RefusalCode";

/// Lists a service's refusal codes in its OpenAPI document: add it to the
/// document's `modifiers`; `Problem.code` then enumerates them beside the
/// codes that follow from a status.
pub struct RefusalCodes(pub &'static [(&'static str, &'static str)]);

impl utoipa::Modify for RefusalCodes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{Object, Type};
        let meanings: Map<String, Value> = self
            .0
            .iter()
            .map(|(code, meaning)| ((*code).to_owned(), Value::from(*meaning)))
            .collect();
        let mut schema = Object::with_type(Type::String);
        schema.enum_values = Some(self.0.iter().map(|(code, _)| Value::from(*code)).collect());
        schema.extensions = Some(
            utoipa::openapi::extensions::ExtensionsBuilder::new()
                .add("x-meanings", Value::Object(meanings))
                .build(),
        );
        openapi
            .components
            .get_or_insert_with(Default::default)
            .schemas
            .insert(REFUSAL_SCHEMA.to_owned(), schema.into());
    }
}

fn problem_schema(refusals: &[(String, String)]) -> Value {
    let codes: Vec<(&str, &str)> = crate::error::STATUS_CODES
        .iter()
        .copied()
        .chain(refusals.iter().map(|(c, m)| (c.as_str(), m.as_str())))
        .collect();
    let listing: Vec<String> = codes
        .iter()
        .map(|(code, meaning)| format!("`{code}`: {meaning}"))
        .collect();
    json!({
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "code", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "code": {
                "type": "string",
                "description": format!("Why, for a program to match on; stable. {}.", listing.join("; ")),
                "enum": codes.iter().map(|(code, _)| *code).collect::<Vec<_>>()
            },
            "detail": {"type": "string", "description": "What is wrong, for a person to act on."},
            "errors": {
                "type": "object",
                "description": "Field name to the messages about it.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}}
            }
        }
    })
}

/// 405 naming the methods `allowed` (also in `Allow`).
pub fn method_not_allowed(req: &actix_web::HttpRequest, allowed: &str) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    let mut response = crate::ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not allowed on {}; use {allowed}",
            req.method(),
            req.path()
        ),
    )
    .error_response();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(allowed) {
        response
            .headers_mut()
            .insert(actix_web::http::header::ALLOW, value);
    }
    response
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

    /// The methods a documented path answers, if `path` is one (the most
    /// literal template wins: `/v1/messages/flagged` over `/v1/messages/{id}`).
    pub fn allowed(&self, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments
                        .iter()
                        .zip(&parts)
                        .all(|(segment, part)| match segment {
                            Segment::Literal(literal) => literal == part,
                            Segment::Parameter => !part.is_empty(),
                        })
            })
            .max_by_key(|(segments, _)| {
                segments
                    .iter()
                    .filter(|segment| matches!(segment, Segment::Literal(_)))
                    .count()
            })
            .map(|(_, methods)| methods.join(", "))
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
                "/v1/events": {"get": {"responses": {"200": {"description": ""}}}},
                "/v1/events/mine": {"get": {"responses": {"200": {"description": ""}}}}
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
        assert_eq!(
            statuses("/paths/~1v1~1events/get/responses"),
            ["200", "400", "401", "503"]
        );
        assert_eq!(
            statuses("/paths/~1v1~1events~1{id}/patch/responses"),
            ["200", "400", "401", "403", "404", "413", "415", "422", "503"]
        );
        let forbidden = doc
            .pointer("/paths/~1v1~1events~1{id}/patch/responses/403")
            .cloned();
        assert_eq!(
            forbidden,
            Some(
                json!({"description": "not yours", "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}})
            )
        );
        assert!(doc.pointer("/components/schemas/Problem").is_some());
        // A problem may quote what the client sent, NUL included.
        assert!(doc
            .pointer("/components/schemas/Problem/properties/detail/pattern")
            .is_none());
        assert!(doc
            .pointer("/paths/~1v1~1events/get/responses/200/content")
            .is_none());
    }

    #[test]
    fn a_parameter_declared_again_replaces_the_shared_one() {
        let mut doc = json!({"paths": {"/v1/things": {"get": {
            "parameters": [
                {"name": "page", "in": "query"},
                {"name": "sort", "in": "query"},
                {"name": "sort", "in": "query", "schema": {"pattern": "^(name)$"}}
            ],
            "responses": {}
        }}}});
        complete(&mut doc);
        let parameters = doc.pointer("/paths/~1v1~1things/get/parameters").cloned();
        assert_eq!(
            parameters,
            Some(json!([
                {"name": "page", "in": "query"},
                {"name": "sort", "in": "query", "schema": {"pattern": "^(name)$"}}
            ]))
        );
    }

    #[test]
    fn a_documented_path_says_which_methods_it_answers() {
        let routes = Routes::of(&document());
        assert_eq!(
            routes.allowed("/v1/events/42").as_deref(),
            Some("GET, PATCH")
        );
        assert_eq!(routes.allowed("/v1/events").as_deref(), Some("GET"));
        assert_eq!(routes.allowed("/v1/events/mine").as_deref(), Some("GET"));
        assert_eq!(routes.allowed("/v1/events/"), None);
        assert_eq!(routes.allowed("/v1/events/42/x"), None);
        assert_eq!(routes.allowed("/v1/nothing"), None);
    }
}
