//! Who counts as prioritized at an event.

use uuid::Uuid;

/// Active points from which a user is never prioritized at events that
/// enforce previous strikes.
pub const NEVER_PRIORITIZED_FROM_POINTS: i64 = 3;

/// What decides one user's priority at one event.
#[derive(Debug, Clone, Copy)]
pub struct PriorityInput<'a> {
    /// The event's pools (each a list of group ids).
    pub pools: &'a [Vec<Uuid>],
    /// The user's current groups.
    pub groups: &'a [Uuid],
    /// Organizers added the registration.
    pub added_by_organizer: bool,
    pub enforces_previous_strikes: bool,
    pub active_points: i64,
}

/// Whether the user matches a pool: is a member of every group in it.
pub fn matches_a_pool(pools: &[Vec<Uuid>], groups: &[Uuid]) -> bool {
    pools
        .iter()
        .any(|pool| !pool.is_empty() && pool.iter().all(|group| groups.contains(group)))
}

/// Prioritized: matches a pool or was added by organizers, unless the event
/// enforces previous strikes and the user has 3 or more active points.
pub fn is_prioritized(input: PriorityInput<'_>) -> bool {
    if input.enforces_previous_strikes && input.active_points >= NEVER_PRIORITIZED_FROM_POINTS {
        return false;
    }
    input.added_by_organizer || matches_a_pool(input.pools, input.groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::new_v4()).collect()
    }

    #[test]
    fn a_pool_matches_members_of_all_its_groups() {
        let g = ids(3);
        let pools = vec![vec![g[0], g[1]], vec![g[2]]];
        assert!(matches_a_pool(&pools, &[g[0], g[1]]));
        assert!(matches_a_pool(&pools, &[g[2]]));
        assert!(!matches_a_pool(&pools, &[g[0]]));
        assert!(!matches_a_pool(&pools, &[]));
        assert!(
            !matches_a_pool(&[vec![]], &[g[0]]),
            "an empty pool matches nobody"
        );
    }

    #[test]
    fn three_points_end_priority_where_strikes_are_enforced() {
        let g = ids(1);
        let pools = vec![vec![g[0]]];
        let input = |points, enforces, added| PriorityInput {
            pools: &pools,
            groups: &g,
            added_by_organizer: added,
            enforces_previous_strikes: enforces,
            active_points: points,
        };
        assert!(is_prioritized(input(2, true, false)));
        assert!(!is_prioritized(input(3, true, false)));
        assert!(!is_prioritized(input(3, true, true)));
        assert!(is_prioritized(input(3, false, false)));
        let outsider = PriorityInput {
            groups: &[],
            ..input(0, true, false)
        };
        assert!(!is_prioritized(outsider));
        assert!(is_prioritized(PriorityInput {
            added_by_organizer: true,
            ..outsider
        }));
    }
}
