//! What notify's handlers share besides the common infrastructure.

use std::sync::Arc;
use std::time::Duration;

use crate::push::hub::Hub;

pub struct NotifyState {
    pub hub: Arc<Hub>,
    /// How often sockets are pinged; three missed answers close them.
    pub heartbeat: Duration,
}
