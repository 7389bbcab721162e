//! Registration opening times kept in memory, so the presses that come before
//! an opening (many, for a popular event) are refused without touching the
//! database. An entry lives a few seconds: an opening moved on another
//! instance is seen soon, and a stale entry only ever refuses early (the
//! database decides everything else under the event's lock).

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// How long an opening time is believed without reading it again.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// Entries beyond this many are dropped wholesale (a bound on memory).
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub struct Openings {
    known: RwLock<HashMap<Uuid, (Option<DateTime<Utc>>, Instant)>>,
}

impl Openings {
    /// The opening time of `event`, if read within the last few seconds
    /// (`Some(None)`: the event has no opening time).
    pub fn get(&self, event: Uuid) -> Option<Option<DateTime<Utc>>> {
        let known = self.known.read().ok()?;
        let (opens, read_at) = known.get(&event)?;
        (read_at.elapsed() < FRESH_FOR).then_some(*opens)
    }

    pub fn remember(&self, event: Uuid, opens: Option<DateTime<Utc>>) {
        if let Ok(mut known) = self.known.write() {
            if known.len() >= MAX_ENTRIES {
                known.clear();
            }
            known.insert(event, (opens, Instant::now()));
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
        let at = Utc::now();
        openings.remember(event, Some(at));
        assert_eq!(openings.get(event), Some(Some(at)));
        openings.forget(event);
        assert_eq!(openings.get(event), None);
    }
}
