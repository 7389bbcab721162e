//! Rules of the notify service, free of HTTP.

pub mod consumer;
pub mod kinds;
pub mod plan;
pub mod templates;
