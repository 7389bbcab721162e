//! Strikes: a user's list, and what strike managers give and remove
//! (strikes are never edited). Either changes the user's standing, so their
//! priority is worked out again.

use chrono::{DateTime, Utc};
use common::list::ListRequest;
use common::{db, ApiError, AuthUser, Infra, Validator};
use uuid::Uuid;

use crate::db::{events, strikes as queries};
use crate::domain::refusal::Refusal;
use crate::domain::{members, strikes, validate};
use crate::state::EventsState;
use crate::views::StrikeView;

/// `user_id`'s strikes (`all`: also those that stopped counting), a page
/// of them and how many there are.
pub async fn strikes_of(
    infra: &Infra,
    user_id: Uuid,
    all: bool,
    list: ListRequest,
    now: DateTime<Utc>,
) -> Result<(Vec<StrikeView>, i64), ApiError> {
    let (rows, total) = db::run(&infra.pool, move |conn| {
        Ok(queries::of_user(conn, user_id, all, now, &list)?)
    })
    .await?;
    Ok((
        rows.into_iter().map(|r| StrikeView::of(r, now)).collect(),
        total,
    ))
}

/// A strike a manager gives.
#[derive(Debug, Clone)]
pub struct Strike {
    pub user_id: Uuid,
    /// One of `strikes::KINDS` (422 otherwise).
    pub kind: String,
    pub description: String,
    pub event_id: Option<Uuid>,
}

/// `manager` gives `strike`; 409 `strike_exists` for a second
/// `past_deadline` strike for one event.
pub async fn give_strike(
    infra: &Infra,
    state: &EventsState,
    manager: &AuthUser,
    strike: Strike,
    now: DateTime<Utc>,
) -> Result<StrikeView, ApiError> {
    let mut v = Validator::new();
    v.check(
        strikes::points_of(&strike.kind).is_some(),
        "kind",
        format!(
            "must be one of {}",
            strikes::KINDS
                .iter()
                .map(|(k, _)| *k)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    validate::text(&mut v, "description", &strike.description, 2000);
    v.finish()?;
    let (manager, zone, user_id) = (manager.id, state.settings.time_zone, strike.user_id);
    let row = infra
        .transaction(move |conn| {
            let event = match strike.event_id {
                Some(id) => Some(
                    events::find(conn, id)?
                        .ok_or_else(|| ApiError::field("event_id", "no such event"))?,
                ),
                None => None,
            };
            strikes::give(
                conn,
                strikes::Given {
                    user_id: strike.user_id,
                    kind: &strike.kind,
                    description: strike.description.trim(),
                    event: event.as_ref(),
                    given_by: Some(manager),
                    now,
                    zone,
                },
            )?
            .ok_or_else(|| ApiError::from(Refusal::StrikeExists))
        })
        .await?;
    infra
        .transaction(move |conn| members::recompute_priority(conn, user_id, now))
        .await?;
    Ok(StrikeView::of(row, now))
}

/// Removes strike `id`; 404 when none.
pub async fn remove_strike(infra: &Infra, id: Uuid, now: DateTime<Utc>) -> Result<(), ApiError> {
    let user_id = db::run(&infra.pool, move |conn| {
        let strike =
            queries::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such strike"))?;
        queries::delete(conn, id)?;
        Ok(strike.user_id)
    })
    .await?;
    infra
        .transaction(move |conn| members::recompute_priority(conn, user_id, now))
        .await
}
