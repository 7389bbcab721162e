//! What the auth handlers share besides the common infrastructure.

use std::sync::Arc;

use common::cache::Redis;
use common::jwt::{JwkSet, SigningKey};

use crate::domain::password::Hasher;
use crate::settings::AuthSettings;

pub struct AuthState {
    pub settings: AuthSettings,
    /// The key that signs new tokens.
    pub signer: SigningKey,
    /// Every published key, the signer's and those kept for rotation.
    pub jwks: JwkSet,
    pub hasher: Hasher,
    /// Failed-login and reset counters.
    pub redis: Arc<Redis>,
}
