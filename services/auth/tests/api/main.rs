//! Integration tests of the identity service over HTTP, against real
//! PostgreSQL, RabbitMQ, Redis and (end to end) nginx.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod admin;
mod clients;
mod e2e;
mod groups;
mod hall;
mod lockout;
mod migrations;
mod operations;
mod outbox;
mod process;
mod sessions;
mod support;
mod tokens;
mod verifier;
