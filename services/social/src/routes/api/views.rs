//! What the JSON API returns for messages and users.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::messages::Shown;
use crate::domain::avatar;

/// Avatar size in pixels.
const AVATAR_SIZE: u32 = 48;

#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub username: String,
    pub avatar_url: String,
}

impl Person {
    pub fn new(id: Uuid, username: String, email: &str) -> Self {
        Self {
            id,
            username,
            avatar_url: avatar::url(email, AVATAR_SIZE),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    pub id: i64,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub author: Person,
    /// Hidden by a moderator (only moderators and the author see such messages).
    pub flagged: bool,
}

impl From<Shown> for Message {
    fn from(m: Shown) -> Self {
        Self {
            id: m.id,
            text: m.text,
            created_at: m.created_at,
            author: Person::new(m.author_id, m.username, &m.email),
            flagged: m.flagged,
        }
    }
}

impl common::list::CsvRow for Message {
    fn csv_header() -> &'static [&'static str] {
        &["id", "created_at", "author", "text"]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.created_at.to_rfc3339(),
            self.author.username.clone(),
            self.text.clone(),
        ]
    }
}
