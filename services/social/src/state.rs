//! What social's handlers share besides the common infrastructure.

use crate::auth_client::AuthClient;
use crate::settings::SocialSettings;

pub struct SocialState {
    pub settings: SocialSettings,
    pub auth: AuthClient,
}
