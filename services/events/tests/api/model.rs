//! The registration rules written as plainly as possible, to compare the
//! engine with.

use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Entry {
    pub user: Uuid,
    pub prioritized: bool,
    pub seq: u64,
    pub confirmed: bool,
}

/// The rules, written as plainly as possible.
#[derive(Default)]
pub struct Model {
    pub capacity: usize,
    pub entries: Vec<Entry>,
}

impl Model {
    pub fn confirmed(&self) -> usize {
        self.entries.iter().filter(|e| e.confirmed).count()
    }
    pub fn has_place(&self) -> bool {
        self.capacity == 0 || self.confirmed() < self.capacity
    }
    /// The waiting list in order.
    pub fn waiting(&self) -> Vec<Entry> {
        let mut w: Vec<Entry> = self
            .entries
            .iter()
            .filter(|e| !e.confirmed)
            .cloned()
            .collect();
        w.sort_by_key(|e| (!e.prioritized, e.seq));
        w
    }
    pub fn set(&mut self, user: Uuid, confirmed: bool) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.user == user) {
            e.confirmed = confirmed;
        }
    }
    pub fn fill(&mut self, except: Option<Uuid>) {
        for waiter in self.waiting() {
            if !self.has_place() {
                break;
            }
            if Some(waiter.user) != except {
                self.set(waiter.user, true);
            }
        }
    }
    pub fn register(&mut self, user: Uuid, prioritized: bool, seq: u64) -> bool {
        if self.entries.iter().any(|e| e.user == user) {
            return false;
        }
        let mut confirmed = self.has_place();
        if !confirmed && prioritized {
            let victim = self
                .entries
                .iter()
                .filter(|e| e.confirmed && !e.prioritized)
                .max_by_key(|e| e.seq)
                .map(|e| e.user);
            if let Some(victim) = victim {
                self.set(victim, false);
                confirmed = true;
            }
        }
        self.entries.push(Entry {
            user,
            prioritized,
            seq,
            confirmed,
        });
        true
    }
    pub fn leave(&mut self, user: Uuid) -> bool {
        let Some(i) = self.entries.iter().position(|e| e.user == user) else {
            return false;
        };
        let gone = self.entries.remove(i);
        if gone.confirmed {
            self.fill(None);
        }
        true
    }
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        if capacity > 0 && self.confirmed() > capacity {
            let mut participants: Vec<Entry> = self
                .entries
                .iter()
                .filter(|e| e.confirmed)
                .cloned()
                .collect();
            participants.sort_by_key(|e| (e.prioritized, std::cmp::Reverse(e.seq)));
            for e in participants.iter().take(self.confirmed() - capacity) {
                self.set(e.user, false);
            }
        }
        self.fill(None);
    }
    pub fn move_up(&mut self, user: Uuid) -> bool {
        let Some(e) = self.entries.iter().find(|e| e.user == user).cloned() else {
            return false;
        };
        if e.confirmed {
            return true;
        }
        if !self.has_place() {
            return false;
        }
        self.set(user, true);
        true
    }
    pub fn move_down(&mut self, user: Uuid) -> bool {
        let Some(e) = self.entries.iter().find(|e| e.user == user).cloned() else {
            return false;
        };
        if !e.confirmed {
            return true;
        }
        if self.waiting().is_empty() {
            return false;
        }
        self.set(user, false);
        self.fill(Some(user));
        true
    }
}
