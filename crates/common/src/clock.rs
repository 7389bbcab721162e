//! The time, replaceable in tests: scheduled work (notify's digest, the
//! events service's jobs) is tested at 12:00 Oslo time without waiting for
//! noon.

use std::fmt;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that shows what it is set to.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut now) = self.0.lock() {
            *now = at;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|now| *now).unwrap_or_else(|_| Utc::now())
    }
}

/// A clock that typed settings can hold: the system's unless a test set one.
#[derive(Clone)]
pub struct SharedClock(Arc<dyn Clock>);

impl SharedClock {
    pub fn system() -> Self {
        Self(Arc::new(SystemClock))
    }

    pub fn manual(clock: &ManualClock) -> Self {
        Self(Arc::new(clock.clone()))
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}

impl Default for SharedClock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for SharedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedClock({})", self.now().to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_shows_what_it_was_set_to_through_every_handle() {
        let at: DateTime<Utc> = "2026-03-29T10:00:00Z".parse().unwrap_or_default();
        let manual = ManualClock::new(at);
        let shared = SharedClock::manual(&manual);
        assert_eq!(shared.clone().now(), at);
        let later = at + chrono::Duration::minutes(5);
        manual.set(later);
        assert_eq!(shared.now(), later);
    }
}
