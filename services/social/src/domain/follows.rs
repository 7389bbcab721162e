//! Following and unfollowing, and who follows whom: what the JSON API and the
//! web pages share.

use common::list::ListRequest;
use common::{db, ApiError, Infra};

use crate::db::follows::{self, Related};
use crate::db::messages::Author;
use crate::db::users::User;
use crate::domain::events;

/// Follows (`following`) or unfollows `followee` as `follower`, publishing the
/// event when the pair really changed. Both must be in the local copy of users.
pub async fn change(
    infra: &Infra,
    follower: &User,
    followee: &User,
    following: bool,
) -> Result<(), ApiError> {
    if follower.id == followee.id {
        return Err(ApiError::bad_request("you cannot follow yourself"));
    }
    let envelope = events::follow_changed(following);
    let (who, whom) = (Author::Id(follower.id), followee.username.clone());
    infra
        .transaction(move |conn| {
            Ok(follows::change_by_name(
                conn, &who, &whom, following, &envelope, None,
            )?)
        })
        .await?;
    Ok(())
}

/// Which side of a follow a list shows.
#[derive(Clone, Copy)]
pub enum Side {
    /// Who follows the user.
    Followers,
    /// Whom the user follows.
    Following,
}

/// A page of the user's followers or followed, with the total.
pub async fn page(
    infra: &Infra,
    user: &User,
    side: Side,
    request: &ListRequest,
) -> Result<(Vec<Related>, i64), ApiError> {
    let (user_id, query) = (user.id, request.clone());
    let followers = matches!(side, Side::Followers);
    db::run(&infra.pool, move |conn| {
        Ok(follows::related(conn, user_id, followers, &query)?)
    })
    .await
}
