//! Every event type there is, and reading an envelope's payload as one.

use crate::{auth, events, social, Contract, ContractError};

/// A catalogue entry, for checks and docs.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub event_type: &'static str,
    pub version: u32,
    pub producer: &'static str,
    /// The payload with default values: every field, for checking the docs.
    pub example: fn() -> serde_json::Value,
}

const fn entry<C: Contract + Default>() -> Entry {
    Entry {
        event_type: C::TYPE,
        version: C::VERSION,
        producer: C::PRODUCER,
        example: example::<C>,
    }
}

fn example<C: Contract + Default>() -> serde_json::Value {
    serde_json::to_value(C::default()).unwrap_or_default()
}

fn read<C: Contract>(version: u32, data: &serde_json::Value) -> Result<C, ContractError> {
    if version != C::VERSION {
        return Err(ContractError::UnsupportedVersion {
            event_type: C::TYPE.to_owned(),
            version,
            known: C::VERSION,
        });
    }
    C::deserialize(data).map_err(|source| ContractError::Payload {
        event_type: C::TYPE.to_owned(),
        version,
        source,
    })
}

/// The service that owns `event_type`, if it is in the catalogue.
pub fn owner_of(event_type: &str) -> Option<&'static str> {
    CATALOGUE
        .iter()
        .find(|entry| entry.event_type == event_type)
        .map(|entry| entry.producer)
}

macro_rules! catalogue {
    ($($family:ident: $enum:ident { $($variant:ident($path:ty)),* $(,)? })*) => {
        $(
            /// The events of one producer.
            #[derive(Debug, Clone, PartialEq)]
            pub enum $enum { $($variant($path)),* }
        )*

        /// Any event of the catalogue, by producer.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Event { $($family($enum)),* }

        /// Every event type, in the order of `docs/events.md`.
        pub const CATALOGUE: &[Entry] = &[$($(entry::<$path>()),*),*];

        impl Event {
            /// Reads an envelope's `data` as the contract of its `type` and `version`.
            pub fn parse(
                event_type: &str,
                version: u32,
                data: &serde_json::Value,
            ) -> Result<Self, ContractError> {
                $($(
                    if event_type == <$path as Contract>::TYPE {
                        return read::<$path>(version, data)
                            .map(|payload| Event::$family($enum::$variant(payload)));
                    }
                )*)*
                Err(ContractError::UnknownType(event_type.to_owned()))
            }

            /// This event's type (routing key).
            pub fn event_type(&self) -> &'static str {
                match self {
                    $($(Event::$family($enum::$variant(_)) => <$path as Contract>::TYPE,)*)*
                }
            }
        }
    };
}

catalogue! {
    Auth: AuthEvent {
        UserRegistered(auth::UserRegistered),
        UserUpdated(auth::UserUpdated),
        PasswordResetRequested(auth::PasswordResetRequested),
        EmailChangeRequested(auth::EmailChangeRequested),
        MembershipChanged(auth::MembershipChanged),
        GroupChanged(auth::GroupChanged),
    }
    Social: SocialEvent {
        MessagePosted(social::MessagePosted),
        UserFollowed(social::UserFollowed),
        UserUnfollowed(social::UserUnfollowed),
    }
    Events: EventsEvent {
        RegistrationConfirmed(events::RegistrationConfirmed),
        RegistrationWaitlisted(events::RegistrationWaitlisted),
        RegistrationPromoted(events::RegistrationPromoted),
        RegistrationDemoted(events::RegistrationDemoted),
        RegistrationUnregistered(events::RegistrationUnregistered),
        RegistrationOffered(events::RegistrationOffered),
        RegistrationInvited(events::RegistrationInvited),
        StrikeGiven(events::StrikeGiven),
        EventChanged(events::EventChanged),
        EventMessageSent(events::EventMessageSent),
        EventReminder(events::EventReminder),
        RegistrationOpened(events::RegistrationOpened),
        AttendanceNotTaken(events::AttendanceNotTaken),
        EvaluationRequested(events::EvaluationRequested),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_a_documented_payload_into_its_struct() {
        let data = json!({
            "follower_id": "6f1e7c1a-52c4-4b8e-a3a3-0c6d1f1b1a01",
            "follower_username": "ann",
            "followee_id": "6f1e7c1a-52c4-4b8e-a3a3-0c6d1f1b1a02",
            "followee_username": "bob"
        });
        let Event::Social(SocialEvent::UserFollowed(follow)) =
            Event::parse("social.user.followed", 1, &data).expect("a follow")
        else {
            panic!("parsed as another type");
        };
        assert_eq!(follow.follower_username, "ann");
        assert_eq!(follow.followee_username, "bob");
    }

    #[test]
    fn refuses_unknown_types_other_versions_and_bad_payloads() {
        let data = json!({});
        assert!(matches!(
            Event::parse("social.user.poked", 1, &data),
            Err(ContractError::UnknownType(t)) if t == "social.user.poked"
        ));
        assert!(matches!(
            Event::parse("social.user.followed", 2, &data),
            Err(ContractError::UnsupportedVersion {
                version: 2,
                known: 1,
                ..
            })
        ));
        let error = Event::parse("social.user.followed", 1, &data).unwrap_err();
        assert!(
            error.to_string().contains("missing field `follower_id`"),
            "{error}"
        );
    }

    #[test]
    fn round_trips_every_entry_and_names_its_owner() {
        for entry in CATALOGUE {
            let parsed = Event::parse(entry.event_type, entry.version, &(entry.example)())
                .unwrap_or_else(|e| panic!("{}: {e}", entry.event_type));
            assert_eq!(parsed.event_type(), entry.event_type);
            assert_eq!(
                Some(entry.event_type.split('.').next().unwrap_or("")),
                Some(entry.producer)
            );
            assert_eq!(owner_of(entry.event_type), Some(entry.producer));
        }
        assert_eq!(owner_of("auth.user.exploded"), None);
        let types: std::collections::HashSet<_> = CATALOGUE.iter().map(|e| e.event_type).collect();
        assert_eq!(types.len(), CATALOGUE.len(), "a type is listed twice");
    }
}
