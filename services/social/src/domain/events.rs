//! Events social publishes through the outbox (catalogue: docs/events.md).
//! Their data is filled in by the statements that make the change
//! (`db::messages::post_as`, `db::follows::change_by_name`).

pub const PRODUCER: &str = "social";
pub const MESSAGE_POSTED: &str = "social.message.posted";
pub const USER_FOLLOWED: &str = "social.user.followed";
pub const USER_UNFOLLOWED: &str = "social.user.unfollowed";
