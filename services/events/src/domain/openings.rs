//! What registering needs to know of an event before taking its lock, kept
//! in memory: the opening time, so the presses before an opening (many, for
//! a popular event) are refused without touching the database, and the
//! priority pools, so a person's priority is known before the lock. An entry
//! lives a few seconds: a change on another instance is seen soon, a stale
//! entry only ever refuses early, and the quick registration checks under
//! the lock that the pools it was computed from are still the event's.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// How long an entry is believed without reading it again.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// Entries beyond this many are dropped wholesale (a bound on memory).
const MAX_ENTRIES: usize = 100_000;

/// An event's facts as registering reads them before the lock.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    pub opens_at: Option<DateTime<Utc>>,
    /// As stored (group ids), to compare under the lock.
    pub pools_json: serde_json::Value,
    pub pools: Vec<Vec<Uuid>>,
    pub enforces_previous_strikes: bool,
}

impl Opening {
    pub fn of(event: &crate::db::models::EventRow) -> Self {
        Self {
            opens_at: event.registration_opens_at,
            pools_json: event.priority_pools.clone(),
            pools: event.pools(),
            enforces_previous_strikes: event.enforces_previous_strikes,
        }
    }
}

#[derive(Default)]
pub struct Openings {
    known: RwLock<HashMap<Uuid, (Opening, Instant)>>,
}

impl Openings {
    /// The facts of `event`, if read within the last few seconds.
    pub fn get(&self, event: Uuid) -> Option<Opening> {
        let known = self.known.read().ok()?;
        let (opening, read_at) = known.get(&event)?;
        (read_at.elapsed() < FRESH_FOR).then(|| opening.clone())
    }

    pub fn remember(&self, event: Uuid, opening: Opening) {
        if let Ok(mut known) = self.known.write() {
            if known.len() >= MAX_ENTRIES {
                known.clear();
            }
            known.insert(event, (opening, Instant::now()));
        }
    }

    pub fn forget(&self, event: Uuid) {
        if let Ok(mut known) = self.known.write() {
            known.remove(&event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_forgets() {
        let openings = Openings::default();
        let event = Uuid::new_v4();
        assert_eq!(openings.get(event), None);
        let opening = Opening {
            opens_at: Some(Utc::now()),
            pools_json: serde_json::json!([]),
            pools: vec![],
            enforces_previous_strikes: true,
        };
        openings.remember(event, opening.clone());
        assert_eq!(openings.get(event), Some(opening));
        openings.forget(event);
        assert_eq!(openings.get(event), None);
    }
}
