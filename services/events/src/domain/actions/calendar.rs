//! A member's calendar feed: a secret link to an iCalendar file of all
//! their registrations, for calendar apps that cannot send a token. The
//! secret is the feed's only credential (244 random bits), shown to its
//! owner and retired by rotating it.

use chrono::{DateTime, Utc};
use common::{db, ApiError, Infra};
use uuid::Uuid;

use crate::db::calendar;
use crate::domain::ical::{self, Entry};

/// `user_id`'s secret and when it was made; 404 before the first.
pub async fn link_of(infra: &Infra, user_id: Uuid) -> Result<(String, DateTime<Utc>), ApiError> {
    db::run(&infra.pool, move |conn| {
        calendar::link_of(conn, user_id)?.ok_or_else(|| {
            ApiError::not_found("you have no calendar link yet; POST /v1/me/calendar makes one")
        })
    })
    .await
}

/// A new secret for `user_id`; the one before stops working.
pub async fn rotate(infra: &Infra, user_id: Uuid) -> Result<(String, DateTime<Utc>), ApiError> {
    let secret = new_secret();
    db::run(&infra.pool, move |conn| {
        Ok(calendar::set_link(conn, user_id, &secret)?)
    })
    .await
}

/// A new secret: two random UUIDs' 244 bits, as 64 hex digits.
fn new_secret() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// The iCalendar file behind `file` (`{secret}.ics`) as of `now`; 404 for
/// anything but a current secret.
pub async fn feed(
    infra: &Infra,
    file: &str,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let gone = || ApiError::not_found("no such calendar link");
    let secret = file
        .strip_suffix(".ics")
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(gone)?
        .to_owned();
    let entries = db::run(&infra.pool, move |conn| {
        let user_id = calendar::owner_of(conn, &secret)?.ok_or_else(gone)?;
        Ok(calendar::entries(conn, user_id)?)
    })
    .await?;
    let listed: Vec<Entry<'_>> = entries
        .iter()
        .map(|(event, status)| Entry { event, status })
        .collect();
    Ok(ical::calendar(&listed, domain, now))
}
