//! Events the social service publishes. Its hot paths fill these payloads in
//! SQL (`jsonb_build_object`); social's tests parse what they store into
//! these structs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::contract;

/// A message as posted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Message {
    pub message_id: i64,
    pub author_id: Uuid,
    pub author_username: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

contract!(
    /// A message was posted (MiniTwit API, JSON API or web pages).
    MessagePosted,
    "social.message.posted",
    1,
    Message
);

/// Who follows whom.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Follow {
    pub follower_id: Uuid,
    pub follower_username: String,
    pub followee_id: Uuid,
    pub followee_username: String,
}

contract!(
    /// Someone started following someone (only real changes are published).
    UserFollowed,
    "social.user.followed",
    1,
    Follow
);

contract!(
    /// Someone stopped following someone (only real changes are published).
    UserUnfollowed,
    "social.user.unfollowed",
    1,
    Follow
);
