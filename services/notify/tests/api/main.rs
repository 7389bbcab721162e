//! Integration tests of the notify service against real PostgreSQL,
//! RabbitMQ, Redis and an SMTP server, with the real auth service beside it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod digest;
mod e2e;
mod mail;
mod migrations;
mod notifications;
mod process;
mod push;
mod support;
