//! The typed, versioned payload of every event on the bus, and the catalogue
//! of event types (documented in `docs/events.md`, checked against this crate
//! by `tests/catalogue_docs.rs`).
//!
//! Producers build an event only as one of these structs (through
//! `common::outbox::publish`); consumers read one only through [`Event::parse`].
//! Each catalogue entry is its own type carrying its routing key
//! ([`Contract::TYPE`]), its version and its owner ([`Contract::PRODUCER`], the
//! only service allowed to publish it).

use serde::de::DeserializeOwned;
use serde::Serialize;

pub mod auth;
mod catalogue;
pub mod events;
mod macros;
pub mod social;

pub use catalogue::{owner_of, AuthEvent, Entry, Event, EventsEvent, SocialEvent, CATALOGUE};

/// Event types whose payload carries a secret (a password reset link): the
/// producer's outbox erases the payload once the broker confirmed it, and
/// consumers never store the secret longer than they need it.
pub const SENSITIVE: &[&str] = &[
    <auth::PasswordResetRequested as Contract>::TYPE,
    <auth::EmailChangeRequested as Contract>::TYPE,
];

/// Whether events of `event_type` carry a secret (see [`SENSITIVE`]).
pub fn is_sensitive(event_type: &str) -> bool {
    SENSITIVE.contains(&event_type)
}

/// One entry of the catalogue: a payload with its type and version.
pub trait Contract: Serialize + DeserializeOwned {
    /// The event type, also the routing key: `<service>.<entity>.<verb>`.
    const TYPE: &'static str;
    /// The payload's version; a breaking change is a new version.
    const VERSION: u32;
    /// The service that owns the type, the first part of [`Contract::TYPE`].
    const PRODUCER: &'static str;
}

/// Why an envelope's payload could not be read as its contract.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    #[error("unknown event type {0:?}")]
    UnknownType(String),
    #[error("{event_type} has no version {version} (this build reads version {known})")]
    UnsupportedVersion {
        event_type: String,
        version: u32,
        known: u32,
    },
    #[error("{event_type} v{version} payload is not as documented: {source}")]
    Payload {
        event_type: String,
        version: u32,
        #[source]
        source: serde_json::Error,
    },
    #[error("{event_type} is published only by {owner}, not by {producer:?}")]
    ForeignProducer {
        event_type: String,
        owner: &'static str,
        producer: String,
    },
}
