//! Database access: schema and queries.

pub mod digest;
pub mod mail;
pub mod notifications;
pub mod preferences;
pub mod recipients;
pub mod schema;
