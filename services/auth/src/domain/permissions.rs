//! Who may do what with groups. Roles in a group are read from the database at
//! the moment of the request, not from the (up to 15 minutes old) token.

use common::{ApiError, AuthUser};

use crate::db::models::{Group, LEADER, PRIVATE};
use crate::domain::refusal::Refusal;

/// Admins and the group's leaders manage its memberships and details.
pub fn can_manage_group(caller: &AuthUser, role_in_group: Option<&str>) -> bool {
    caller.is_admin() || role_in_group == Some(LEADER)
}

/// Private groups exist only for their members and admins.
pub fn can_see_group(
    caller: Option<&AuthUser>,
    group: &Group,
    role_in_group: Option<&str>,
) -> bool {
    group.kind != PRIVATE || role_in_group.is_some() || caller.is_some_and(AuthUser::is_admin)
}

/// A hidden group answers like a missing one, so its existence does not leak.
pub fn require_visible(
    caller: Option<&AuthUser>,
    group: &Group,
    role_in_group: Option<&str>,
) -> Result<(), ApiError> {
    if can_see_group(caller, group, role_in_group) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("no group {:?}", group.slug)))
    }
}

pub fn require_manager(
    caller: &AuthUser,
    group: &Group,
    role_in_group: Option<&str>,
) -> Result<(), ApiError> {
    if can_manage_group(caller, role_in_group) {
        Ok(())
    } else {
        Err(Refusal::NotGroupManager {
            slug: group.slug.clone(),
        }
        .into())
    }
}
