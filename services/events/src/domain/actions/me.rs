//! A member's own: their event settings (the event rules accepted, sharing
//! registrations, allergies, photo consent) and their events.

use chrono::{DateTime, Utc};
use common::list::ListRequest;
use common::{db, ApiError, AuthUser, Infra, Validator};
use uuid::Uuid;

use crate::db::settings::{self, EventSettings};
use crate::db::{events, registrations};
use crate::domain::validate;
use crate::views::{self, MyEvent};

/// `user_id`'s event settings (the defaults until they change one).
pub async fn settings(infra: &Infra, user_id: Uuid) -> Result<EventSettings, ApiError> {
    db::run(&infra.pool, move |conn| Ok(settings::of(conn, user_id)?)).await
}

/// Changes to one's event settings; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    pub accepts_event_rules: Option<bool>,
    pub public_registrations: Option<bool>,
    pub allergies: Option<String>,
    pub photo_consent: Option<bool>,
}

/// `user_id` changes their event settings; 422 for allergies too long.
pub async fn change_settings(
    infra: &Infra,
    user_id: Uuid,
    change: SettingsChange,
) -> Result<EventSettings, ApiError> {
    if let Some(allergies) = &change.allergies {
        let mut v = Validator::new();
        validate::text(&mut v, "allergies", allergies, 2000);
        v.finish()?;
    }
    infra
        .transaction(move |conn| {
            let mut s = settings::of(conn, user_id)?;
            if let Some(v) = change.accepts_event_rules {
                s.accepts_event_rules = v;
            }
            if let Some(v) = change.public_registrations {
                s.public_registrations = v;
            }
            if let Some(v) = change.allergies {
                s.allergies = v.trim().to_owned();
            }
            if let Some(v) = change.photo_consent {
                s.photo_consent = v;
            }
            Ok(settings::save(conn, user_id, &s)?)
        })
        .await
}

/// A page of `caller`'s events with their registration: upcoming, or `past`
/// ones (started before `now`), and how many there are.
pub async fn my_events(
    infra: &Infra,
    caller: &AuthUser,
    past: bool,
    list: ListRequest,
    now: DateTime<Utc>,
) -> Result<(Vec<MyEvent>, i64), ApiError> {
    let descending = list.sort.first().is_some_and(|k| k.descending);
    let (user_id, username) = (caller.id, caller.username.clone());
    db::run(&infra.pool, move |conn| {
        let (rows, total) =
            registrations::of_user_page(conn, user_id, past, now, descending, &list)?;
        let mut items = Vec::with_capacity(rows.len());
        for (registration, event_id) in rows {
            let Some(event) = events::find(conn, event_id)? else {
                continue;
            };
            items.push(MyEvent {
                event: views::event(conn, event)?,
                registration: views::registration(conn, registration, username.clone())?,
            });
        }
        Ok((items, total))
    })
    .await
}
