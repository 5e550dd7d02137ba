//! Look-ups built for each deal (entities by name and by record, item definitions, kept
//! lists) and for each policy (rates): probed a few times each, and made again for the next
//! deal. std's SipHash took 6% of the instructions of the baseline-v2 batch (BENCHMARKS.md,
//! "Issue 18").
//!
//! - [`FastMap`]: keys the deal's author does not choose (addresses of records, positions,
//!   the policy's own rates), hashed with foldhash (already built into the library as the
//!   default hasher of hashbrown, under serde_json), which hashes a short key in a few
//!   instructions.
//! - [`ByName`]: names the deal's author chooses, sorted once and found by binary search. A
//!   fast hash seeded from the process's addresses is only "minimally" resistant to keys made
//!   to collide (foldhash's own words), and a server runs for long; a sorted list has no
//!   worst case, and for the few entities of a usual deal it is cheaper than hashing.

/// A hash map with [`foldhash`]'s fast hasher, for keys a deal cannot choose.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// An empty [`FastMap`] with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, foldhash::fast::RandomState::default())
}

/// Names, each mapped to what the first of its entries gives.
#[derive(Clone, Debug)]
pub struct ByName<'d, T> {
    /// Sorted by name; one entry per name.
    sorted: Vec<(&'d str, T)>,
}

impl<T> Default for ByName<'_, T> {
    fn default() -> Self {
        ByName { sorted: Vec::new() }
    }
}

impl<'d, T: Copy> ByName<'d, T> {
    /// The index of `entries`, in their order: a name given twice maps to its first entry.
    pub fn new(mut entries: Vec<(&'d str, T)>) -> ByName<'d, T> {
        // A stable sort keeps the entries of one name in order; `dedup_by` keeps the first.
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries.dedup_by(|later, first| later.0 == first.0);
        ByName { sorted: entries }
    }

    /// [`ByName::new`] of the `count` entries `entries` gives, taken from `in_order` when that
    /// is them already: as many, each name greater than the one before (so no two share one).
    /// The caller gives as `in_order` only entries of `entries`; `entries` is called only when
    /// `in_order` is not them (the order a deal's loading kept, the deal changed since).
    pub fn in_order_or_new(
        count: usize,
        in_order: Option<Vec<(&'d str, T)>>,
        entries: impl FnOnce() -> Vec<(&'d str, T)>,
    ) -> ByName<'d, T> {
        if let Some(sorted) = in_order {
            let increasing = sorted
                .windows(2)
                .all(|pair| matches!(pair, [a, b] if a.0 < b.0));
            if sorted.len() == count && increasing {
                return ByName { sorted };
            }
        }
        ByName::new(entries())
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<T> {
        let at = self.sorted.partition_point(|(n, _)| *n < name);
        self.sorted
            .get(at)
            .filter(|(n, _)| *n == name)
            .map(|(_, t)| *t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_maps_to_its_first_entry() {
        let names = ByName::new(vec![
            ("b", 0),
            ("a", 1),
            ("b", 2),
            ("", 3),
            ("a", 4),
            ("c", 5),
        ]);
        let got: Vec<_> = ["a", "b", "c", "", "d", "B"]
            .iter()
            .map(|n| names.get(n))
            .collect();
        assert_eq!(got, [Some(1), Some(0), Some(5), Some(3), None, None]);
        assert_eq!(ByName::<usize>::default().get("a"), None);
    }

    #[test]
    fn entries_in_order_are_taken_only_when_sorted_and_complete() {
        let entries = || vec![("b", 0), ("a", 1), ("c", 2)];
        let new = ByName::new(entries());
        let sorted = vec![("a", 1), ("b", 0), ("c", 2)];
        let taken = ByName::in_order_or_new(3, Some(sorted.clone()), || unreachable!());
        assert_eq!(taken.sorted, new.sorted);
        // Not sorted, a name twice, one missing: the entries, sorted.
        for bad in [
            vec![("b", 0), ("a", 1), ("c", 2)],
            vec![("a", 1), ("a", 1), ("c", 2)],
            vec![("a", 1), ("c", 2)],
        ] {
            assert_eq!(
                ByName::in_order_or_new(3, Some(bad), entries).sorted,
                new.sorted
            );
        }
        assert_eq!(ByName::in_order_or_new(3, None, entries).sorted, new.sorted);
        // Two entries of one name: the first, as `new` keeps it.
        let twice = || vec![("a", 0), ("a", 1)];
        let got = ByName::in_order_or_new(2, Some(vec![("a", 1), ("a", 0)]), twice);
        assert_eq!(got.sorted, vec![("a", 0)]);
    }
}
