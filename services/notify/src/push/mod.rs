//! Live push to WebSockets, across instances.

pub mod hub;
