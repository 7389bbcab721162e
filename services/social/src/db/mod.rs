//! Database access: schema and queries.

pub mod follows;
pub mod latest;
pub mod messages;
pub mod schema;
pub mod users;
