//! Hoisting: a list-building expression inside a quantifier or filter body that reads no
//! enclosing item has one value for the whole deal, computed once and kept in the slot the
//! compiler gave it (`resolve::hoist`).

use crate::resolve::ir::Expr;

use super::super::value::Val;
use super::Evaluator;

impl<'d> Evaluator<'d> {
    /// The value of a hoistable expression inside a body: computed on first use in the deal
    /// (`count of parties` in `every party: share = 100% / count of parties`), so a body over
    /// n elements costs O(n), not O(n²), and each later use is one index into the store.
    pub(super) fn hoisted_value(&mut self, slot: u32, e: &Expr) -> Val<'d> {
        #[cfg(test)]
        {
            self.hoist_probes += 1;
        }
        let slot = slot as usize;
        if let Some(Some(v)) = self.slots.hoisted().get(slot) {
            return v.clone();
        }
        let v = self.compute(e);
        if let Some(kept) = self.slots.hoisted_mut().get_mut(slot) {
            *kept = Some(v.clone());
        }
        v
    }

    /// Compute and keep the value of a hoistable expression, unless it is kept already (a
    /// probe, as [`Evaluator::hoisted_value`]); read it in place from the evaluator's slots.
    pub(super) fn cache_hoisted(&mut self, slot: u32, e: &Expr) {
        #[cfg(test)]
        {
            self.hoist_probes += 1;
        }
        let slot = slot as usize;
        if let Some(None) = self.slots.hoisted().get(slot) {
            let v = self.compute(e);
            if let Some(kept) = self.slots.hoisted_mut().get_mut(slot) {
                *kept = Some(v);
            }
        }
    }

    /// Whether `e` was met in a body and kept (tests).
    #[cfg(test)]
    pub(crate) fn is_hoisted(&self, e: &Expr) -> bool {
        e.hoist
            .is_some_and(|s| matches!(self.slots.hoisted().get(s as usize), Some(Some(_))))
    }

    /// Slots looked up so far (tests).
    #[cfg(test)]
    pub(crate) fn hoist_probes(&self) -> usize {
        self.hoist_probes
    }

    /// Values kept so far (tests).
    #[cfg(test)]
    pub(crate) fn hoisted_values(&self) -> usize {
        self.slots.hoisted().iter().filter(|v| v.is_some()).count()
    }
}
