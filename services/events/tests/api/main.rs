//! Integration tests of the events service over HTTP, with the real auth
//! service beside it (tokens, groups and memberships over RabbitMQ), against
//! real PostgreSQL and RabbitMQ.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod calendar;
mod catalogue;
mod consent;
mod forms;
mod images;
mod jobs;
mod me;
mod messages;
mod model;
mod offers;
mod organizers;
mod projection;
mod properties;
mod registration;
mod service;
mod stampede;
mod statistics;
mod strikes;
mod support;
mod use_cases;
