//! Rules of the social service, free of HTTP.

pub mod avatar;
pub mod events;
pub mod lookup;
pub mod permissions;
pub mod registration;
pub mod users;
