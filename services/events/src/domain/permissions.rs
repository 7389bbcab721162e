//! Who may write an event (create, edit, delete, manage registrations, check
//! in) and who manages strikes. Memberships come from the local copy kept
//! from auth's events, never from a token that may be minutes old.

use common::{ApiError, AuthUser};
use uuid::Uuid;

use super::refusal::Refusal;
use crate::db::models::GroupRow;

/// The platform role of strike managers (besides administrators).
pub const STRIKE_MANAGER: &str = "strike_manager";

/// Group kinds whose every member writes its events.
const SHARED_KINDS: &[&str] = &["board", "subgroup"];

/// One of the caller's current memberships.
#[derive(Debug, Clone)]
pub struct MemberOf {
    pub group_id: Uuid,
    pub role: String,
}

/// Whether someone with `memberships` (not an administrator) writes the
/// events of `organizer`: its leaders for a committee or interest group (and
/// any other kind), any member of a board or subgroup.
pub fn writes_for(memberships: &[MemberOf], organizer: &GroupRow) -> bool {
    let Some(membership) = memberships.iter().find(|m| m.group_id == organizer.id) else {
        return false;
    };
    if SHARED_KINDS.contains(&organizer.kind.as_str()) {
        return true;
    }
    membership.role == "leader"
}

/// An event's organizers, to tell them about it: the writers among the
/// current members of its organizer group (`roles_in`), and its contact person.
pub fn organizers(
    organizer: &GroupRow,
    roles_in: &[(Uuid, String)],
    contact_person: Option<Uuid>,
) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = roles_in
        .iter()
        .filter(|(_, role)| {
            writes_for(
                &[MemberOf {
                    group_id: organizer.id,
                    role: role.clone(),
                }],
                organizer,
            )
        })
        .map(|(user, _)| *user)
        .chain(contact_person)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// 403 unless the caller writes events of `organizer`.
pub fn require_writer(
    caller: &AuthUser,
    memberships: &[MemberOf],
    organizer: &GroupRow,
) -> Result<(), ApiError> {
    if caller.is_admin() || writes_for(memberships, organizer) {
        return Ok(());
    }
    Err(Refusal::NotWriter {
        who: if SHARED_KINDS.contains(&organizer.kind.as_str()) {
            "members"
        } else {
            "the leader"
        },
        organizer: organizer.slug.clone(),
    }
    .into())
}

/// 403 unless the caller is an administrator or strike manager.
pub fn require_strike_manager(caller: &AuthUser) -> Result<(), ApiError> {
    caller.require_user()?;
    if caller.is_admin() || caller.has_role(STRIKE_MANAGER) {
        return Ok(());
    }
    Err(Refusal::NotStrikeManager.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(kind: &str) -> GroupRow {
        GroupRow {
            id: Uuid::new_v4(),
            slug: "g".into(),
            name: "G".into(),
            kind: kind.into(),
            deleted: false,
        }
    }

    #[test]
    fn leaders_of_committees_members_of_boards() {
        for (kind, member_writes) in [
            ("committee", false),
            ("interest_group", false),
            ("board", true),
            ("subgroup", true),
            ("study", false),
        ] {
            let g = group(kind);
            let member = [MemberOf {
                group_id: g.id,
                role: "member".into(),
            }];
            let leader = [MemberOf {
                group_id: g.id,
                role: "leader".into(),
            }];
            assert_eq!(writes_for(&member, &g), member_writes, "{kind} member");
            assert!(writes_for(&leader, &g), "{kind} leader");
            assert!(!writes_for(&[], &g), "{kind} outsider");
        }
    }

    #[test]
    fn organizers_are_the_writers_and_the_contact_person() {
        let (leader, member, contact) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let roles = [(leader, "leader".to_owned()), (member, "member".to_owned())];
        let mut expected = vec![leader, contact];
        expected.sort_unstable();
        assert_eq!(
            organizers(&group("committee"), &roles, Some(contact)),
            expected
        );
        assert_eq!(
            organizers(&group("committee"), &roles, Some(leader)),
            vec![leader]
        );
        let mut everyone = vec![leader, member];
        everyone.sort_unstable();
        assert_eq!(organizers(&group("board"), &roles, None), everyone);
    }
}
