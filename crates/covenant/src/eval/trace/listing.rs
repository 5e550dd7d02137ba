//! Which elements a trace node lists: with thousands of elements, listing each one (and each
//! one's own lists) made `explain` quadratic in the deal.

use std::sync::Arc;

use super::super::outcome::ELEMENTS_SHOWN;
use super::{TraceNode, TraceNote, TraceValue};

/// The elements a node lists: the first [`ELEMENTS_SHOWN`], then the notable ones (those that
/// decide, or are unknown), [`ELEMENTS_SHOWN`] more at most. The others are counted by value.
pub(super) struct Listing {
    first: usize,
    notable: usize,
    /// The values of the elements not listed, in the order first met, with their counts.
    unlisted: Vec<(TraceValue, usize)>,
}

impl Listing {
    pub(super) fn new() -> Listing {
        Listing {
            first: 0,
            notable: 0,
            unlisted: Vec::new(),
        }
    }

    /// Whether to list the next element.
    pub(super) fn lists(&mut self, notable: bool) -> bool {
        if self.first < ELEMENTS_SHOWN {
            self.first += 1;
            true
        } else if notable && self.notable < ELEMENTS_SHOWN {
            self.notable += 1;
            true
        } else {
            false
        }
    }

    /// Count an element not listed, whose value is `value`.
    pub(super) fn skip(&mut self, value: TraceValue) {
        match self.unlisted.iter_mut().find(|(v, _)| *v == value) {
            Some((_, n)) => *n += 1,
            None => self.unlisted.push((value, 1)),
        }
    }

    /// Say on `node` how many elements of the list written `what` were not listed, and their
    /// values: "7990 more not listed (of `party`): 7980 true, 10 false".
    pub(super) fn finish(self, node: &mut TraceNode, what: &Arc<str>) {
        let count: usize = self.unlisted.iter().map(|(_, n)| n).sum();
        if count == 0 {
            return;
        }
        node.more = count;
        node.notes.push(TraceNote::Unlisted {
            count,
            of: what.clone(),
            values: self.unlisted,
        });
    }
}
