//! Notification kinds, the events they come from, and their default channels.

use serde::Serialize;
use utoipa::ToSchema;

/// Which channels a notification goes out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Channels {
    pub email: bool,
    pub in_app: bool,
    pub push: bool,
}

/// A kind of notification.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    pub name: &'static str,
    pub description: &'static str,
    pub defaults: Channels,
    /// Security mail: always emailed, settings cannot change it.
    pub mandatory_email: bool,
    /// The mail holds a secret (a reset link): its stored copy is redacted
    /// once delivered or given up.
    pub secret: bool,
}

const fn channels(email: bool, in_app: bool, push: bool) -> Channels {
    Channels {
        email,
        in_app,
        push,
    }
}

pub const WELCOME: &str = "welcome";
pub const PASSWORD_RESET: &str = "password_reset";
pub const EMAIL_CHANGE: &str = "email_change";
pub const EMAIL_CHANGE_NOTICE: &str = "email_change_notice";
pub const GROUP_MEMBERSHIP: &str = "group_membership";
pub const NEW_FOLLOWER: &str = "new_follower";
pub const REGISTRATION_CONFIRMED: &str = "registration_confirmed";
pub const REGISTRATION_WAITLISTED: &str = "registration_waitlisted";
pub const REGISTRATION_PROMOTED: &str = "registration_promoted";
pub const REGISTRATION_DEMOTED: &str = "registration_demoted";
pub const REGISTRATION_OFFERED: &str = "registration_offered";
pub const REGISTRATION_INVITED: &str = "registration_invited";
pub const EVENT_CHANGED: &str = "event_changed";
pub const REGISTRATION_UNREGISTERED: &str = "registration_unregistered";
pub const STRIKE_GIVEN: &str = "strike_given";
pub const EVENT_MESSAGE: &str = "event_message";
pub const EVENT_REMINDER: &str = "event_reminder";
pub const REGISTRATION_OPENED: &str = "registration_opened";
pub const ATTENDANCE_NOT_TAKEN: &str = "attendance_not_taken";
pub const EVALUATION_REQUESTED: &str = "evaluation_requested";

pub const KINDS: &[Kind] = &[
    Kind {
        name: WELCOME,
        description: "Welcome to the platform",
        defaults: channels(true, true, false),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: PASSWORD_RESET,
        description: "Password reset links (security mail, always by email)",
        defaults: channels(true, false, false),
        mandatory_email: true,
        secret: true,
    },
    Kind {
        name: EMAIL_CHANGE,
        description:
            "The link that confirms a new email address (security mail, to the new address)",
        defaults: channels(true, false, false),
        mandatory_email: true,
        secret: true,
    },
    Kind {
        name: EMAIL_CHANGE_NOTICE,
        description:
            "Someone asked to change your email address (security mail, to the old address)",
        defaults: channels(true, false, false),
        mandatory_email: true,
        secret: false,
    },
    Kind {
        name: GROUP_MEMBERSHIP,
        description: "You joined or left a group, or your role changed",
        defaults: channels(false, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: NEW_FOLLOWER,
        description: "Someone follows you",
        defaults: channels(false, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: REGISTRATION_CONFIRMED,
        description: "Your place at an event is confirmed",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: REGISTRATION_WAITLISTED,
        description: "You are on an event's waiting list",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: REGISTRATION_PROMOTED,
        description: "You moved from the waiting list to a place",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: REGISTRATION_OFFERED,
        description: "A place opened and is offered to you: accept it before the offer expires",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: REGISTRATION_INVITED,
        description: "An organizer invited you to an event: accept or decline it",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: REGISTRATION_DEMOTED,
        description: "You lost your place and moved to the waiting list",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: EVENT_CHANGED,
        description: "An event you are registered for moved or was cancelled",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: REGISTRATION_UNREGISTERED,
        description: "You were unregistered from an event",
        defaults: channels(true, true, false),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: STRIKE_GIVEN,
        description: "You were given a strike",
        defaults: channels(true, true, false),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: EVENT_MESSAGE,
        description: "A message from the organisers of your event",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: EVENT_REMINDER,
        description: "The sign-off deadline of your event is today or tomorrow",
        defaults: channels(true, true, false),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: REGISTRATION_OPENED,
        description: "Registration opened for an event you marked as a favourite",
        defaults: channels(true, true, true),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: ATTENDANCE_NOT_TAKEN,
        description: "No strikes were given after your event because attendance was not taken",
        defaults: channels(true, true, false),
        mandatory_email: false,
        secret: false,
    },
    Kind {
        name: EVALUATION_REQUESTED,
        description: "Please evaluate an event you attended",
        defaults: channels(true, true, false),
        mandatory_email: false,
        secret: false,
    },
];

pub fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The channels a kind finally uses: the user's choice (or the defaults),
/// with security mail forced on.
pub fn effective(kind: &Kind, chosen: Option<Channels>) -> Channels {
    let mut channels = chosen.unwrap_or(kind.defaults);
    if kind.mandatory_email {
        channels = Channels {
            email: true,
            in_app: false,
            push: false,
        };
    }
    channels
}
