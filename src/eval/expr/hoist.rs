//! Hoisting: a list-building expression inside a quantifier or filter body that reads no
//! enclosing item has one value for the whole deal, computed once.

use crate::resolve::ir::{Base, Expr, ExprKind as K};

use super::super::value::Val;
use super::Evaluator;

impl<'d> Evaluator<'d> {
    /// The value of a list-building expression inside a body: computed once per deal when it
    /// reads no enclosing item (`count of parties` in `every party: share = 100% / count of
    /// parties`), so a body over n elements costs O(n), not O(n²).
    pub(super) fn hoisted_value(&mut self, e: &Expr) -> Val<'d> {
        let key: *const Expr = e;
        if let Some((_, slot)) = self.hoisted.iter().find(|(k, _)| *k == key) {
            return match slot {
                Some(v) => v.clone(),
                None => self.compute(e),
            };
        }
        let v = self.compute(e);
        let invariant = !reads_item(e, 0);
        self.hoisted.push((key, invariant.then(|| v.clone())));
        v
    }

    /// Whether `e` was met in a body and found to read no item (tests).
    #[cfg(test)]
    pub(crate) fn is_hoisted(&self, e: &Expr) -> bool {
        let key: *const Expr = e;
        self.hoisted.iter().any(|(k, v)| *k == key && v.is_some())
    }

    #[cfg(test)]
    pub(crate) fn hoisted_len(&self) -> usize {
        self.hoisted.len()
    }

    #[cfg(test)]
    pub(crate) fn hoisted_values(&self) -> usize {
        self.hoisted.iter().filter(|(_, v)| v.is_some()).count()
    }
}

/// Whether `e` reads an item bound outside it; `bound` counts the binders (filters,
/// quantifiers, `must` predicates) between `e`'s root and the current point.
fn reads_item(e: &Expr, bound: usize) -> bool {
    let inner = |x: &Expr| reads_item(x, bound + 1);
    match &e.kind {
        K::Const(_) => false,
        K::Item => bound == 0,
        K::Path { base, .. } => matches!(base, Base::Item(d) if *d >= bound),
        K::List(xs) => xs.iter().any(|x| reads_item(x, bound)),
        K::Filter { list, cond } => reads_item(list, bound) || inner(cond),
        K::Quant {
            list, cond, body, ..
        } => {
            reads_item(list, bound)
                || cond.as_deref().is_some_and(inner)
                || body.as_deref().is_some_and(inner)
        }
        K::Must { subject, pred, .. } => reads_item(subject, bound) || inner(pred),
        K::Aggregate { arg, .. } | K::Not(arg) => reads_item(arg, bound),
        K::Arith { lhs, rhs, .. }
        | K::Compare { lhs, rhs, .. }
        | K::In {
            elem: lhs,
            list: rhs,
            ..
        }
        | K::And(lhs, rhs)
        | K::Or(lhs, rhs) => reads_item(lhs, bound) || reads_item(rhs, bound),
        K::Within {
            lhs,
            tolerance,
            rhs,
            ..
        } => reads_item(lhs, bound) || reads_item(tolerance, bound) || reads_item(rhs, bound),
    }
}
