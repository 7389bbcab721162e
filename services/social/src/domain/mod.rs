//! Rules of the social service, free of HTTP.

pub mod avatar;
pub mod events;
pub mod follows;
pub mod lookup;
pub mod messages;
pub mod permissions;
pub mod registration;
pub mod users;
