//! Reading events: the catalogue (filtered, sorted, paged) and one event.
//! Reading one also remembers its opening time, so the presses before a
//! popular opening are answered from memory.

use chrono::{DateTime, Utc};
use common::list::ListRequest;
use common::{db, ApiError, Infra, Validator};
use uuid::Uuid;

use crate::db::events::{self, EventFilter};
use crate::db::members;
use crate::domain::openings::Opening;
use crate::domain::{local_time, validate};
use crate::state::EventsState;
use crate::views::{self, EventView};

/// What the catalogue lists.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub category: Option<Uuid>,
    /// The organizer group's slug (an unknown one lists nothing).
    pub organizer: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Only events whose registration is open at `now`.
    pub open: bool,
    /// Only this user's favourites.
    pub favourites_of: Option<Uuid>,
    /// Past events (ended before the latest 12:00) instead of current ones.
    pub expired: bool,
}

/// A page of the events `listing` names as of `now`, and how many there are.
pub async fn list_events(
    infra: &Infra,
    state: &EventsState,
    listing: Listing,
    list: ListRequest,
    now: DateTime<Utc>,
) -> Result<(Vec<EventView>, i64), ApiError> {
    if let Some(q) = &list.q {
        let mut v = Validator::new();
        validate::text(&mut v, "q", q, validate::MAX_TITLE);
        v.finish()?;
    }
    let cutoff = local_time::latest_noon(now, state.settings.time_zone);
    db::run(&infra.pool, move |conn| {
        let organizer = match listing.organizer {
            Some(slug) => Some(
                members::groups_by_slug(conn, &[slug])?
                    .pop()
                    .map_or(Uuid::nil(), |g| g.id),
            ),
            None => None,
        };
        let filter = EventFilter {
            category: listing.category,
            organizer,
            from: listing.from,
            to: listing.to,
            open_at: listing.open.then_some(now),
            favourites_of: listing.favourites_of,
            ends: Some(if listing.expired {
                Err(cutoff)
            } else {
                Ok(cutoff)
            }),
        };
        let (rows, total) = events::list(conn, &filter, &list)?;
        Ok((views::events(conn, rows)?, total))
    })
    .await
}

/// Event `id`; 404 when none.
pub async fn get_event(
    infra: &Infra,
    state: &EventsState,
    id: Uuid,
) -> Result<EventView, ApiError> {
    let view = db::run(&infra.pool, move |conn| {
        let event = events::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such event"))?;
        let opening = Opening::of(&event);
        Ok((opening, views::event(conn, event)?))
    })
    .await?;
    let (opening, view) = view;
    state.openings.remember(id, opening);
    Ok(view)
}
