//! Events social publishes (payloads: `contracts::social`, catalogue:
//! docs/events.md). Their data is filled in by the statements that make the
//! change (`db::messages::post_as`, `db::follows::change_by_name`), so these
//! are the envelopes without data.

use common::outbox::Envelope;
use contracts::social::{MessagePosted, UserFollowed, UserUnfollowed};

/// The envelope of a `social.message.posted` event.
pub fn message_posted() -> Envelope {
    Envelope::skeleton::<MessagePosted>()
}

/// The envelope of a `social.user.followed` (or, for `follow == false`,
/// `social.user.unfollowed`) event.
pub fn follow_changed(follow: bool) -> Envelope {
    if follow {
        Envelope::skeleton::<UserFollowed>()
    } else {
        Envelope::skeleton::<UserUnfollowed>()
    }
}
