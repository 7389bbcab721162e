//! Notifications for social's events.

use contracts::SocialEvent;

use super::Planned;
use crate::domain::kinds::NEW_FOLLOWER;
use crate::domain::templates::MailContext;

pub(super) fn plan(
    ctx: &MailContext,
    event: &SocialEvent,
    data: &serde_json::Value,
) -> Vec<Planned> {
    match event {
        SocialEvent::UserFollowed(f) => vec![Planned {
            user_id: f.followee_id,
            kind: NEW_FOLLOWER,
            title: format!("{} follows you", f.follower_username),
            body: format!(
                "{} now sees your messages on their timeline.",
                f.follower_username
            ),
            link: Some(format!(
                "{}/{}",
                ctx.public_url,
                f.follower_username.replace(' ', "%20")
            )),
            data: data.clone(),
            email_to: None,
        }],
        SocialEvent::MessagePosted(_) | SocialEvent::UserUnfollowed(_) => Vec::new(),
    }
}
