//! What a client sends to make or change an event, and how it becomes
//! [`EventFields`]: group slugs resolved to ids (asking auth about groups
//! this service has not seen), the organizer checked (writing for a group
//! takes its writers' right, also when an event moves to it), absent fields
//! kept.

use chrono::{DateTime, Utc};
use common::{ApiError, AuthUser, Infra};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::models::EventRow;
use crate::domain::validate::EventFields;
use crate::domain::{members, writers};
use crate::state::EventsState;

/// A new event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvent {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub category_id: Option<Uuid>,
    /// The organizer group's slug.
    pub organizer: String,
    pub contact_person_id: Option<Uuid>,
    /// Not accepted any more (empty or absent): upload the image with `POST
    /// /v1/events/{id}/image`.
    #[schema(max_length = 0)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub sign_up: bool,
    /// 0: unlimited.
    #[serde(default, deserialize_with = "common::json::whole_i32")]
    #[schema(minimum = 0)]
    pub capacity: i32,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub sign_off_deadline: Option<DateTime<Utc>>,
    #[serde(default)]
    pub only_prioritized: bool,
    #[serde(default = "yes")]
    pub can_cause_strikes: bool,
    #[serde(default = "yes")]
    pub enforces_previous_strikes: bool,
    #[serde(default)]
    pub closed: bool,
    /// Lists of group slugs.
    #[serde(default)]
    pub priority_pools: Vec<Vec<String>>,
    /// Within this many hours of the start, a freed place is offered to the
    /// first waiter (who accepts or declines) instead of given; null: never.
    #[serde(default, deserialize_with = "common::json::optional_whole_i32")]
    #[schema(minimum = 1, maximum = 168)]
    pub offer_hours: Option<i32>,
}

fn yes() -> bool {
    true
}

/// `Some(value)` for a present field, even `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A nullable whole number that may be absent (stays), null (clears) or set.
fn present_whole_i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    common::json::optional_whole_i32(d).map(Some)
}

/// Changes to an event; absent fields stay, `null` clears a nullable one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventChangeRequest {
    pub title: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<Option<Uuid>>,
    pub organizer: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_person_id: Option<Option<Uuid>>,
    /// Not accepted any more (empty or absent): upload the image with `POST
    /// /v1/events/{id}/image`, remove it with `DELETE`.
    #[schema(max_length = 0)]
    pub image_url: Option<String>,
    pub sign_up: Option<bool>,
    /// Raising promotes waiters; lowering moves the latest non-prioritized
    /// participants to the waiting list first.
    #[serde(default, deserialize_with = "common::json::optional_whole_i32")]
    #[schema(minimum = 0)]
    pub capacity: Option<i32>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub registration_opens_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub registration_closes_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub sign_off_deadline: Option<Option<DateTime<Utc>>>,
    pub only_prioritized: Option<bool>,
    pub can_cause_strikes: Option<bool>,
    pub enforces_previous_strikes: Option<bool>,
    pub closed: Option<bool>,
    pub priority_pools: Option<Vec<Vec<String>>>,
    /// null turns offers off.
    #[serde(default, deserialize_with = "present_whole_i32")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 168)]
    pub offer_hours: Option<Option<i32>>,
}

/// The fields of `new`, made by `caller`: 403 `not_writer` unless they write
/// for its organizer, 422 naming an unknown group or an image URL.
pub async fn fields_of_new(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    new: NewEvent,
) -> Result<EventFields, ApiError> {
    no_image_url(&new.image_url)?;
    let organizer = organizer(infra, state, caller, token, &new.organizer).await?;
    let pools = resolve_pools(infra, state, token, &new.priority_pools).await?;
    Ok(EventFields {
        title: new.title.trim().to_owned(),
        description: new.description,
        location: new.location.trim().to_owned(),
        starts_at: new.starts_at,
        ends_at: new.ends_at,
        category_id: new.category_id,
        organizer_id: organizer,
        contact_person_id: new.contact_person_id,
        sign_up: new.sign_up,
        capacity: new.capacity,
        registration_opens_at: new.registration_opens_at,
        registration_closes_at: new.registration_closes_at,
        sign_off_deadline: new.sign_off_deadline,
        only_prioritized: new.only_prioritized,
        can_cause_strikes: new.can_cause_strikes,
        enforces_previous_strikes: new.enforces_previous_strikes,
        closed: new.closed,
        priority_pools: pools,
        offer_hours: new.offer_hours,
    })
}

/// The fields of `current` after `change` by `caller` (who writes it):
/// moving the event to another organizer takes the right on that one too.
pub async fn fields_after(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    current: &EventRow,
    change: EventChangeRequest,
) -> Result<EventFields, ApiError> {
    no_image_url(&change.image_url)?;
    let mut fields = EventFields::from(current);
    if let Some(slug) = &change.organizer {
        fields.organizer_id = organizer(infra, state, caller, token, slug).await?;
    }
    if let Some(pools) = &change.priority_pools {
        fields.priority_pools = resolve_pools(infra, state, token, pools).await?;
    }
    apply(&mut fields, change);
    Ok(fields)
}

/// The id of group `slug` if `caller` writes for it (422 for no such group).
async fn organizer(
    infra: &Infra,
    state: &EventsState,
    caller: &AuthUser,
    token: &str,
    slug: &str,
) -> Result<Uuid, ApiError> {
    let organizer =
        members::groups_by_slug(infra, state, token, vec![slug.to_owned()], "organizer")
            .await?
            .remove(slug)
            .ok_or_else(|| ApiError::field("organizer", "no such group"))?;
    writers::require_writer(infra, state, caller, token, &organizer).await?;
    Ok(organizer.id)
}

/// 422 for an image URL: images are uploaded, never linked from anywhere.
fn no_image_url(image_url: &Option<String>) -> Result<(), ApiError> {
    match image_url {
        Some(url) if !url.is_empty() => Err(ApiError::field(
            "image_url",
            "images are uploaded, not linked: POST /v1/events/{id}/image with the image as \
             multipart/form-data field \"file\"",
        )),
        _ => Ok(()),
    }
}

/// Pools of slugs to pools of group ids (422 naming unknown groups).
async fn resolve_pools(
    infra: &Infra,
    state: &EventsState,
    token: &str,
    pools: &[Vec<String>],
) -> Result<Vec<Vec<Uuid>>, ApiError> {
    let slugs: Vec<String> = pools.iter().flatten().cloned().collect();
    if slugs.is_empty() {
        return Ok(pools.iter().map(|_| vec![]).collect());
    }
    if slugs.len() > 200 {
        return Err(ApiError::field(
            "priority_pools",
            "at most 200 groups in all",
        ));
    }
    let groups = members::groups_by_slug(infra, state, token, slugs, "priority_pools").await?;
    Ok(pools
        .iter()
        .map(|pool| {
            let mut ids: Vec<Uuid> = pool
                .iter()
                .filter_map(|s| groups.get(s).map(|g| g.id))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect())
}

fn apply(fields: &mut EventFields, change: EventChangeRequest) {
    if let Some(v) = change.title {
        fields.title = v.trim().to_owned();
    }
    if let Some(v) = change.description {
        fields.description = v;
    }
    if let Some(v) = change.location {
        fields.location = v.trim().to_owned();
    }
    if let Some(v) = change.starts_at {
        fields.starts_at = v;
    }
    if let Some(v) = change.ends_at {
        fields.ends_at = v;
    }
    if let Some(v) = change.category_id {
        fields.category_id = v;
    }
    if let Some(v) = change.contact_person_id {
        fields.contact_person_id = v;
    }
    if let Some(v) = change.sign_up {
        fields.sign_up = v;
    }
    if let Some(v) = change.capacity {
        fields.capacity = v;
    }
    if let Some(v) = change.offer_hours {
        fields.offer_hours = v;
    }
    if let Some(v) = change.registration_opens_at {
        fields.registration_opens_at = v;
    }
    if let Some(v) = change.registration_closes_at {
        fields.registration_closes_at = v;
    }
    if let Some(v) = change.sign_off_deadline {
        fields.sign_off_deadline = v;
    }
    if let Some(v) = change.only_prioritized {
        fields.only_prioritized = v;
    }
    if let Some(v) = change.can_cause_strikes {
        fields.can_cause_strikes = v;
    }
    if let Some(v) = change.enforces_previous_strikes {
        fields.enforces_previous_strikes = v;
    }
    if let Some(v) = change.closed {
        fields.closed = v;
    }
}
