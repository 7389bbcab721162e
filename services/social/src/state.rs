//! What social's handlers share besides the common infrastructure.

use crate::auth_client::AuthClient;
use crate::settings::SocialSettings;

pub struct SocialState {
    pub settings: SocialSettings,
    pub auth: AuthClient,
    /// Rate limits of the web pages (registrations per address).
    pub redis: std::sync::Arc<common::cache::Redis>,
    /// Where news images are kept.
    pub media: common::media::MediaStore,
    /// Decodes and resizes uploaded images, a few at once.
    pub images: common::images::ImagePipeline,
}
