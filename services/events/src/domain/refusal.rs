//! Why the events service says no: one closed set of refusals, each with a
//! stable snake_case code that clients and tests match on and a message a
//! person can act on. No HTTP here: `routes::refusal` maps each to a status,
//! once.

use chrono::{DateTime, Utc};

/// A rule said no. The code (`Refusal::code`) is part of the API; the
/// message (`Display`) may be reworded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    // Registering oneself.
    RegistrationNotOpen {
        opens_at: DateTime<Utc>,
    },
    SignUpOff,
    NoRegistrationWindow,
    StrikeDelay {
        points: i64,
        from: DateTime<Utc>,
        hours: i64,
    },
    EventClosed,
    RegistrationClosed {
        closed_at: DateTime<Utc>,
    },
    OnlyPrioritized,
    AcceptsEventRules,
    SurveyUnanswered,
    EvaluationDue {
        title: String,
        days: i64,
    },
    AlreadyRegistered,
    // Leaving and offers.
    TooLateToLeave,
    OfferExpired {
        expired_at: DateTime<Utc>,
    },
    NotOffered,
    // The organizer's tools.
    NotWriter {
        who: &'static str,
        organizer: String,
    },
    PersonRegistered,
    InvitationToClosedEvent,
    InvitationWouldExpire,
    NoFreePlace,
    NobodyWaiting,
    Waitlisted,
    AlreadyCheckedIn,
    NotCheckedIn,
    PrivateGroupFilter,
    NobodyInAudience,
    MessageLimit {
        per_window: i64,
        window_hours: i64,
        next_at: DateTime<Utc>,
        wait_seconds: u64,
    },
    // Strikes and categories.
    NotStrikeManager,
    StrikeExists,
    CategoryExists,
    // Forms.
    FormExists {
        kind: String,
    },
    FormAnswered,
    AlreadyAnswered,
    NotEnded,
    NotAttended,
}

/// Every code with what it means, for the OpenAPI document and the docs.
pub const CODES: &[(&str, &str)] = &[
    ("registration_not_open", "registration has not opened yet"),
    ("sign_up_off", "the event takes no registrations"),
    (
        "strike_delay",
        "active strike points delay when you may register",
    ),
    (
        "event_closed",
        "the organizers closed (cancelled) the event",
    ),
    ("registration_closed", "the registration window has closed"),
    (
        "only_prioritized",
        "only members of the event's priority groups may register",
    ),
    (
        "accepts_event_rules",
        "accept the event rules before registering",
    ),
    (
        "survey_unanswered",
        "answer the event's survey before registering",
    ),
    (
        "evaluation_due",
        "evaluate an event you attended before registering",
    ),
    ("already_registered", "that registration exists already"),
    (
        "too_late_to_leave",
        "past the sign-off deadline and close to the start",
    ),
    ("offer_expired", "the offered place's time ran out"),
    ("not_offered", "no place is offered to you"),
    (
        "not_writer",
        "only the organizing group's writers and administrators may",
    ),
    ("no_free_place", "the event is full"),
    ("nobody_waiting", "nobody waits to take the place"),
    ("waitlisted", "a waiting-list entry cannot be checked in"),
    (
        "already_checked_in",
        "the participant is checked in already",
    ),
    ("not_checked_in", "the participant is not checked in"),
    ("private_group", "a private group's members are not shown"),
    ("nobody_in_audience", "the message would reach nobody"),
    (
        "message_limit",
        "the event's message budget is spent for now",
    ),
    (
        "not_strike_manager",
        "only administrators and strike managers may",
    ),
    ("strike_exists", "that strike was given already"),
    ("category_exists", "a category with that name exists"),
    ("form_exists", "the event has a form of that kind"),
    ("form_answered", "an answered form cannot change"),
    ("already_answered", "answers cannot change"),
    ("not_ended", "the evaluation opens when the event has ended"),
    ("not_attended", "only those who attended evaluate"),
];

impl Refusal {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        use Refusal::*;
        match self {
            RegistrationNotOpen { .. } => "registration_not_open",
            SignUpOff | NoRegistrationWindow => "sign_up_off",
            StrikeDelay { .. } => "strike_delay",
            EventClosed | InvitationToClosedEvent => "event_closed",
            RegistrationClosed { .. } | InvitationWouldExpire => "registration_closed",
            OnlyPrioritized => "only_prioritized",
            AcceptsEventRules => "accepts_event_rules",
            SurveyUnanswered => "survey_unanswered",
            EvaluationDue { .. } => "evaluation_due",
            AlreadyRegistered | PersonRegistered => "already_registered",
            TooLateToLeave => "too_late_to_leave",
            OfferExpired { .. } => "offer_expired",
            NotOffered => "not_offered",
            NotWriter { .. } => "not_writer",
            NoFreePlace => "no_free_place",
            NobodyWaiting => "nobody_waiting",
            Waitlisted => "waitlisted",
            AlreadyCheckedIn => "already_checked_in",
            NotCheckedIn => "not_checked_in",
            PrivateGroupFilter => "private_group",
            NobodyInAudience => "nobody_in_audience",
            MessageLimit { .. } => "message_limit",
            NotStrikeManager => "not_strike_manager",
            StrikeExists => "strike_exists",
            CategoryExists => "category_exists",
            FormExists { .. } => "form_exists",
            FormAnswered => "form_answered",
            AlreadyAnswered => "already_answered",
            NotEnded => "not_ended",
            NotAttended => "not_attended",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Refusal::*;
        match self {
            RegistrationNotOpen { opens_at } => {
                write!(f, "registration opens at {}", opens_at.to_rfc3339())
            }
            SignUpOff => f.write_str("this event does not take registrations"),
            NoRegistrationWindow => f.write_str("this event has no registration window"),
            StrikeDelay {
                points,
                from,
                hours,
            } => write!(
                f,
                "with {points} active strike point(s) you may register from {} ({hours} hours \
                 after the opening)",
                from.to_rfc3339()
            ),
            EventClosed => f.write_str("the organizers closed this event"),
            RegistrationClosed { closed_at } => {
                write!(f, "registration closed at {}", closed_at.to_rfc3339())
            }
            OnlyPrioritized => {
                f.write_str("this event is open only to members of its priority groups")
            }
            AcceptsEventRules => f.write_str(
                "accept the event rules first (PATCH /v1/me/event-settings with \
                 {\"accepts_event_rules\": true})",
            ),
            SurveyUnanswered => f.write_str(
                "answer this event's survey first (GET /v1/events/{id}/forms shows it; \
                 POST /v1/forms/{form_id}/answers)",
            ),
            EvaluationDue { title, days } => write!(
                f,
                "evaluate {title:?} first (GET /v1/me/forms?unanswered=true lists it); events \
                 that enforce strikes need the evaluations of events you attended in the last \
                 {days} days"
            ),
            AlreadyRegistered => f.write_str("already registered for this event"),
            TooLateToLeave => f.write_str(
                "the sign-off deadline has passed and the event starts in less than 2 hours; \
                 ask the organizers",
            ),
            OfferExpired { expired_at } => {
                write!(f, "the offer expired at {}", expired_at.to_rfc3339())
            }
            NotOffered => f.write_str("you have not been offered a place at this event"),
            NotWriter { who, organizer } => write!(
                f,
                "only administrators and {who} of {organizer} may manage its events"
            ),
            PersonRegistered => f.write_str("that person is registered for this event"),
            InvitationToClosedEvent => {
                f.write_str("this event is cancelled and takes no invitations")
            }
            InvitationWouldExpire => {
                f.write_str("registration has closed, so an invitation would expire at once")
            }
            NoFreePlace => {
                f.write_str("the event is full; move a participant to the waiting list first")
            }
            NobodyWaiting => f.write_str(
                "nobody waits to take the place; remove the registration or lower the capacity \
                 instead",
            ),
            Waitlisted => {
                f.write_str("a waiting-list entry cannot be checked in; give them a place first")
            }
            AlreadyCheckedIn => f.write_str("already checked in"),
            NotCheckedIn => f.write_str("not checked in"),
            PrivateGroupFilter => {
                f.write_str("a private group's members are private; it cannot filter participants")
            }
            NobodyInAudience => f.write_str(
                "nobody registered for this event by their own choice is in that audience",
            ),
            MessageLimit {
                per_window,
                window_hours,
                next_at,
                ..
            } => write!(
                f,
                "an event's organizers send at most {per_window} messages in {window_hours} \
                 hours; the next may go at {}",
                next_at.to_rfc3339()
            ),
            NotStrikeManager => {
                f.write_str("only administrators and strike managers may give or remove strikes")
            }
            StrikeExists => {
                f.write_str("the user already has a past_deadline strike for this event")
            }
            CategoryExists => f.write_str("a category with this name exists"),
            FormExists { kind } => write!(
                f,
                "this event has a {kind} already; change it with PATCH /v1/forms/{{id}}"
            ),
            FormAnswered => {
                f.write_str("people have answered this form, so it can no longer change")
            }
            AlreadyAnswered => f.write_str("you answered this form; answers cannot change"),
            NotEnded => f.write_str("the evaluation opens when the event has ended"),
            NotAttended => f.write_str("only those who attended the event evaluate it"),
        }
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each refusal.
    fn every_refusal() -> Vec<Refusal> {
        use Refusal::*;
        let at = Utc::now();
        vec![
            RegistrationNotOpen { opens_at: at },
            SignUpOff,
            NoRegistrationWindow,
            StrikeDelay {
                points: 1,
                from: at,
                hours: 3,
            },
            EventClosed,
            RegistrationClosed { closed_at: at },
            OnlyPrioritized,
            AcceptsEventRules,
            SurveyUnanswered,
            EvaluationDue {
                title: "x".into(),
                days: 30,
            },
            AlreadyRegistered,
            TooLateToLeave,
            OfferExpired { expired_at: at },
            NotOffered,
            NotWriter {
                who: "members",
                organizer: "g".into(),
            },
            PersonRegistered,
            InvitationToClosedEvent,
            InvitationWouldExpire,
            NoFreePlace,
            NobodyWaiting,
            Waitlisted,
            AlreadyCheckedIn,
            NotCheckedIn,
            PrivateGroupFilter,
            NobodyInAudience,
            MessageLimit {
                per_window: 10,
                window_hours: 24,
                next_at: at,
                wait_seconds: 1,
            },
            NotStrikeManager,
            StrikeExists,
            CategoryExists,
            FormExists {
                kind: "survey".into(),
            },
            FormAnswered,
            AlreadyAnswered,
            NotEnded,
            NotAttended,
        ]
    }

    #[test]
    fn every_code_is_listed_once_and_every_listed_code_is_used() {
        let used: std::collections::BTreeSet<&str> =
            every_refusal().iter().map(Refusal::code).collect();
        let listed: std::collections::BTreeSet<&str> = CODES.iter().map(|(c, _)| *c).collect();
        assert_eq!(listed.len(), CODES.len(), "a code is listed twice");
        assert_eq!(used, listed);
    }

    #[test]
    fn codes_are_snake_case_and_messages_do_not_repeat_them() {
        for refusal in every_refusal() {
            let code = refusal.code();
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
            assert!(!refusal.to_string().starts_with(code), "{refusal:?}");
        }
    }

    #[test]
    fn the_docs_list_every_code() {
        let docs = include_str!("../../../../docs/events-service.md");
        for (code, _) in CODES {
            assert!(
                docs.contains(&format!("| `{code}` |")),
                "docs/events-service.md lacks {code}"
            );
        }
    }
}
