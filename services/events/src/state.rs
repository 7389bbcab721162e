//! What the events service's handlers share besides the common infrastructure.

use crate::domain::openings::Openings;
use crate::list_cache::ListCache;
use crate::settings::EventsSettings;

pub struct EventsState {
    pub settings: EventsSettings,
    /// Registration opening times, so early presses are refused from memory.
    pub openings: Openings,
    /// For asking auth about a caller's memberships.
    pub http: reqwest::Client,
    /// The public event list, for a second.
    pub list: ListCache,
}

impl EventsState {
    pub fn new(settings: EventsSettings) -> Self {
        Self {
            settings,
            openings: Openings::default(),
            list: ListCache::default(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(5))
                .build()
                .unwrap_or_default(),
        }
    }
}
