//! What the events service's handlers share besides the common infrastructure.

use crate::domain::openings::Openings;
use crate::settings::EventsSettings;

pub struct EventsState {
    pub settings: EventsSettings,
    /// Registration opening times, so early presses are refused from memory.
    pub openings: Openings,
    /// For asking auth about a caller's memberships.
    pub http: reqwest::Client,
}

impl EventsState {
    pub fn new(settings: EventsSettings) -> Self {
        Self {
            settings,
            openings: Openings::default(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(5))
                .build()
                .unwrap_or_default(),
        }
    }
}
