//! The public event list, kept for a second. At an opening the list is the
//! most requested page and the same for everyone (favourites aside), so one
//! answer per query string and second serves them all; this instance's own
//! changes to events clear it at once, and registration counts in it are at
//! most a second old (a registration's own answer is always current).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

const FRESH_FOR: Duration = Duration::from_secs(1);
/// Distinct query strings kept at most (any client can invent new ones).
const MAX_ENTRIES: usize = 1_000;

#[derive(Default)]
pub struct ListCache {
    pages: Mutex<HashMap<String, (Bytes, Instant)>>,
}

impl ListCache {
    pub fn get(&self, query: &str) -> Option<Bytes> {
        let pages = self.pages.lock().ok()?;
        let (body, made) = pages.get(query)?;
        (made.elapsed() < FRESH_FOR).then(|| body.clone())
    }

    pub fn put(&self, query: &str, body: Bytes) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_ENTRIES {
                pages.retain(|_, (_, made)| made.elapsed() < FRESH_FOR);
                if pages.len() >= MAX_ENTRIES {
                    pages.clear();
                }
            }
            pages.insert(query.to_owned(), (body, Instant::now()));
        }
    }

    /// Forgets every page (an event was created, changed or deleted).
    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_page_for_a_second_and_forgets_on_clear() {
        let cache = ListCache::default();
        assert!(cache.get("page=1").is_none());
        cache.put("page=1", Bytes::from_static(b"[]"));
        assert_eq!(cache.get("page=1").as_deref(), Some(&b"[]"[..]));
        assert!(cache.get("page=2").is_none());
        cache.clear();
        assert!(cache.get("page=1").is_none());
    }
}
