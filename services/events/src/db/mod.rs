//! The events service's tables (`schema.rs`, generated) and queries.

pub mod calendar;
pub mod categories;
pub mod due;
pub mod events;
pub mod forms;
pub mod invitations;
pub mod job_runs;
pub mod members;
pub mod messages;
pub mod models;
pub mod participants;
pub mod quick_registration;
pub mod registrations;
pub mod schema;
pub mod settings;
pub mod statistics;
pub mod strikes;
