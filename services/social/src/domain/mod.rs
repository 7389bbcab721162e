//! Rules of the social service, free of HTTP.

pub mod events;
pub mod users;
