//! Database access: schema, rows and queries.

pub mod clients;
pub mod devices;
pub mod email_changes;
pub mod groups;
pub mod models;
pub mod schema;
pub mod tokens;
pub mod users;

/// `%` and `_` are wildcards in LIKE; a search for them means the characters.
pub fn like_pattern(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
