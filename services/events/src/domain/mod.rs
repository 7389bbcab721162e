//! The rules of events, registrations and strikes, apart from HTTP.

pub mod engine;
pub mod local_time;
pub mod members;
pub mod openings;
pub mod permissions;
pub mod priority;
pub mod publish;
pub mod rules;
pub mod strikes;
pub mod validate;
