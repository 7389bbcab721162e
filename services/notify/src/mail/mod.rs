//! Sending the outgoing mail queue: lettre over SMTP, or `.eml` files when no
//! SMTP server is configured. See docs/notify.md for the delivery guarantee.

pub mod smtp;
pub mod transport;
pub mod worker;
