//! Integration tests of the social service over HTTP, with the real auth
//! service beside it, against real PostgreSQL, RabbitMQ and Redis.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod browser;
mod contracts;
mod documentation;
mod microblog_only;
mod migrations;
mod minitwit;
mod news;
mod news_images;
mod operations;
mod projection;
mod support;
mod v1;
mod web;
mod workload;
