//! What social's handlers share besides the common infrastructure.

use crate::auth_client::AuthClient;
use crate::settings::SocialSettings;

pub struct SocialState {
    pub settings: SocialSettings,
    pub auth: AuthClient,
    /// Rate limits of the web pages (registrations per address).
    pub redis: std::sync::Arc<common::cache::Redis>,
}
