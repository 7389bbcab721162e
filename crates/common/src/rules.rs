//! Rules that more than one service answers: the service that enforces a rule
//! and auth's `/v1/me/permissions`, which tells clients what they may do, ask
//! the same function, so the two cannot disagree.

use crate::jwt::GroupClaim;

/// The membership role that leads a group.
pub const LEADER: &str = "leader";
/// The group kind whose leaders may publish news.
pub const NEWS_GROUP_KIND: &str = "committee";

/// Does this member lead the group `slug`, and is it a committee (whose
/// leaders publish news for it)?
pub fn writes_news_for(groups: &[GroupClaim], slug: &str) -> bool {
    groups.iter().any(|g| g.slug == slug && leads_committee(g))
}

/// Does this member lead any committee (and so may publish news for it)?
pub fn writes_news(groups: &[GroupClaim]) -> bool {
    groups.iter().any(leads_committee)
}

fn leads_committee(group: &GroupClaim) -> bool {
    group.role == LEADER && group.kind == NEWS_GROUP_KIND
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(slug: &str, role: &str, kind: &str) -> GroupClaim {
        GroupClaim {
            slug: slug.into(),
            role: role.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn only_leaders_of_committees_write_news() {
        let board_leader = [claim("board", LEADER, "board")];
        let committee_member = [claim("party", "member", "committee")];
        let committee_leader = [claim("party", LEADER, "committee")];
        assert!(!writes_news(&board_leader));
        assert!(!writes_news(&committee_member));
        assert!(writes_news(&committee_leader));
        assert!(writes_news_for(&committee_leader, "party"));
        assert!(!writes_news_for(&committee_leader, "board"));
        assert!(!writes_news_for(&board_leader, "board"));
    }
}
