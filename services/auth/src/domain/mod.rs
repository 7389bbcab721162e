//! Rules of the identity service, free of HTTP.

pub mod accounts;
pub mod clients;
pub mod events;
pub mod groups;
pub mod login;
pub mod memberships;
pub mod password;
pub mod password_reset;
pub mod permissions;
pub mod refusal;
pub mod secret;
pub mod session;
pub mod sessions;
pub mod throttle;
pub mod users;
pub mod validate;
pub mod what_i_may_do;
