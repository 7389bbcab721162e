//! Database access: schema and queries.

pub mod follows;
pub mod latest;
pub mod messages;
pub mod news;
pub mod schema;
pub mod users;
pub mod web_sessions;
