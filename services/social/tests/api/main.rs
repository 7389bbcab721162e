//! Integration tests of the social service over HTTP, with the real auth
//! service beside it, against real PostgreSQL, RabbitMQ and Redis.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod minitwit;
mod operations;
mod projection;
mod support;
mod workload;
