//! What the events service's handlers share besides the common infrastructure.

use common::images::ImagePipeline;
use common::media::MediaStore;
use common::settings::SettingsError;

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
    /// Where event images are kept.
    pub media: MediaStore,
    /// Decodes and resizes uploaded images, a few at once.
    pub images: ImagePipeline,
}

impl EventsState {
    /// The state of `settings`; a wrong media store setting is refused.
    pub fn new(settings: EventsSettings) -> Result<Self, SettingsError> {
        let media = MediaStore::open(&settings.media)?;
        let images = settings.media.pipeline();
        Ok(Self {
            media,
            images,
            settings,
            openings: Openings::default(),
            list: ListCache::default(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(5))
                .build()
                .unwrap_or_default(),
        })
    }
}
