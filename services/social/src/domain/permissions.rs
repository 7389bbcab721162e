//! Who may do what in the social service.

use common::auth_user::AuthUser;
use common::jwt::TokenKind;
use common::ApiError;

/// The platform role that may hide and show messages (as may administrators).
pub const MODERATOR: &str = "moderator";

pub fn can_moderate(caller: &AuthUser) -> bool {
    caller.is_admin() || (caller.kind == TokenKind::User && caller.has_role(MODERATOR))
}

pub fn require_moderator(caller: &AuthUser) -> Result<(), ApiError> {
    if can_moderate(caller) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only moderators and administrators may do this",
        ))
    }
}

/// Whether the caller leads this group and it is a committee (the rule auth's
/// `/v1/me/permissions` reports as `news.write`).
pub fn leads_committee(caller: &AuthUser, slug: &str) -> bool {
    caller.kind == TokenKind::User && common::rules::writes_news_for(&caller.groups, slug)
}

/// May the caller publish news for `group` (`None`: in their own name)?
/// Administrators may publish anything; leaders of committees for their committee.
pub fn require_news_writer(caller: &AuthUser, group: Option<&str>) -> Result<(), ApiError> {
    if caller.is_admin() {
        return Ok(());
    }
    match group {
        Some(slug) if leads_committee(caller, slug) => Ok(()),
        Some(slug) => Err(ApiError::forbidden(format!(
            "only leaders of the committee {slug:?} and administrators may publish news for it"
        ))),
        None => Err(ApiError::forbidden(
            "only administrators and leaders of committees may publish news; \
             leaders name their committee in \"group\"",
        )),
    }
}
