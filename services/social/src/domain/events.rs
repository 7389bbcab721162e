//! Events social publishes through the outbox (catalogue: docs/events.md).

use chrono::{DateTime, Utc};
use common::ApiError;
use diesel::PgConnection;
use serde::Serialize;
use uuid::Uuid;

pub const MESSAGE_POSTED: &str = "social.message.posted";
pub const USER_FOLLOWED: &str = "social.user.followed";
pub const USER_UNFOLLOWED: &str = "social.user.unfollowed";

#[derive(Debug, Serialize)]
pub struct MessagePosted<'a> {
    pub message_id: i64,
    pub author_id: Uuid,
    pub author_username: &'a str,
    pub text: &'a str,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
pub struct FollowChanged<'a> {
    pub follower_id: Uuid,
    pub follower_username: &'a str,
    pub followee_id: Uuid,
    pub followee_username: &'a str,
}

pub fn publish<T: Serialize>(
    conn: &mut PgConnection,
    event_type: &str,
    data: &T,
) -> Result<Uuid, ApiError> {
    common::outbox::enqueue(conn, "social", event_type, 1, data)
}
