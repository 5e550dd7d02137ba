//! Hoisting slots: every list-building expression that reads no enclosing item gets a slot
//! in the evaluator's per-deal store, so that inside a quantifier or filter body it is computed
//! once per deal and then found by its index (`every party: share = 100% / count of parties`
//! is O(parties), and a policy of many such rules is O(rules) per deal, not O(rules²)).

use super::ir::{Base, Expr, ExprKind as K, Rule};

/// Give a slot to every hoistable expression of `rules` and `defs`; returns the number of slots.
pub(crate) fn assign_slots<'a>(exprs: impl IntoIterator<Item = &'a mut Expr>) -> usize {
    let mut next: u32 = 0;
    for e in exprs {
        assign(e, &mut next);
    }
    next as usize
}

/// Every clause of a rule.
pub(crate) fn rule_exprs(rule: &mut Rule) -> impl Iterator<Item = &mut Expr> {
    rule.when
        .iter_mut()
        .chain(rule.require.iter_mut())
        .chain(rule.unless.iter_mut())
}

/// Every clause of a rule, and its window's `on D`, to read.
pub(crate) fn rule_exprs_ref(rule: &Rule) -> impl Iterator<Item = &Expr> {
    rule.when
        .iter()
        .chain(&rule.require)
        .chain(&rule.unless)
        .chain(&rule.on)
}

/// Whether evaluating `e` builds a list (or aggregates one): the values worth keeping.
pub(crate) fn builds_list(e: &Expr) -> bool {
    match &e.kind {
        K::Aggregate { .. }
        | K::Filter { .. }
        | K::List(_)
        | K::Project { .. }
        | K::Per(_)
        | K::LookThrough(_) => true,
        K::Path { base, steps } => !matches!(base, Base::Item(_)) && steps.iter().any(|s| s.map),
        K::Convert(_) => e.ty.is_list(),
        // Arithmetic on such values (`100% / count of parties`), when each operand is a
        // literal, a path from the root or a definition, or itself kept: those are read
        // without effect or computed once per deal anyway (a near miss in a definition's or a
        // kept list's filter is recorded once, when first computed, either way), so computing
        // the arithmetic once rather than for each element changes nothing but the work.
        K::Arith { first, rest } => {
            let mut operands = std::iter::once(&**first).chain(rest.iter().map(|(_, t)| t));
            operands.clone().all(plain_operand) && operands.any(builds_list)
        }
        _ => false,
    }
}

/// An operand of kept arithmetic: a literal, a path from the deal root or a definition, a
/// kept value, or such arithmetic.
fn plain_operand(e: &Expr) -> bool {
    match &e.kind {
        K::Const(_) => true,
        K::Path { base, .. } => !matches!(base, Base::Item(_)),
        _ => builds_list(e),
    }
}

/// Assign slots below and at `e`; returns how many binders out `e` reads an item: `e` reads
/// an item bound outside it when the result is above 0.
fn assign(e: &mut Expr, next: &mut u32) -> usize {
    let reach = reach_of_children(&mut e.kind, next);
    if reach == 0 && builds_list(e) {
        e.hoist = Some(*next);
        *next = next.saturating_add(1);
    }
    reach
}

/// How far out the items `kind` reads are: an item `d` binders out of a path that is under
/// `b` binders of this expression reaches `d + 1 - b` levels out of it.
fn reach_of_children(kind: &mut K, next: &mut u32) -> usize {
    let mut each = |x: &mut Expr| assign(x, next);
    // A binder's condition, body or predicate sees one more item.
    let inner = |r: usize| r.saturating_sub(1);
    match kind {
        K::Const(_) => 0,
        K::Item => 1,
        K::Path { base, .. } | K::Presence { base, .. } => match base {
            Base::Item(d) => *d + 1,
            _ => 0,
        },
        K::List(xs) => xs.iter_mut().map(&mut each).max().unwrap_or(0),
        K::Filter { list, cond } => each(list).max(inner(each(cond))),
        K::Quant {
            list, cond, body, ..
        } => {
            let mut r = each(list);
            for x in [cond, body].into_iter().flatten() {
                r = r.max(inner(each(x)));
            }
            r
        }
        K::Must { subject, pred, .. } => each(subject).max(inner(each(pred))),
        K::Aggregate { arg, .. } | K::Not(arg) | K::Project { list: arg, .. } => each(arg),
        K::And(terms) | K::Or(terms) => terms.iter_mut().map(&mut each).max().unwrap_or(0),
        K::Arith { first, rest } => {
            let r = each(first);
            rest.iter_mut().map(|(_, t)| each(t)).fold(r, usize::max)
        }
        K::Compare { lhs, rhs, .. }
        | K::In {
            elem: lhs,
            list: rhs,
            ..
        } => each(lhs).max(each(rhs)),
        K::Within {
            lhs,
            tolerance,
            rhs,
            ..
        } => each(lhs).max(each(tolerance)).max(each(rhs)),
        K::LookThrough(l) => {
            let mut r = each(&mut l.holders);
            l.holders_fixed = r == 0;
            if let Some(t) = &mut l.target {
                r = r.max(each(t));
            }
            if let Some(c) = &mut l.control {
                r = r.max(each(&mut c.threshold));
            }
            r
        }
        // The key is read with an item of the source as its innermost item.
        K::Per(p) => each(&mut p.source).max(inner(each(&mut p.key))),
        K::DateShift(d) => each(&mut d.date).max(each(&mut d.count)),
        K::DaysBetween { later, earlier } => each(later).max(each(earlier)),
        K::YearOf(arg) => each(arg),
        K::EvaluationDate => 0,
        // Keys, cells and values are all read in the table's own scope.
        K::Table(t) => {
            let mut r = t.keys.iter_mut().map(&mut each).max().unwrap_or(0);
            for row in t.rows.iter_mut().chain(t.otherwise.as_deref_mut()) {
                r = r.max(each(&mut row.value));
                for source in row.cells.iter_mut().flat_map(super::ir::Cell::sources_mut) {
                    r = r.max(each(source));
                }
            }
            r
        }
        K::Convert(c) => {
            let r = each(&mut c.amount);
            c.on.as_mut().map_or(r, |d| r.max(each(d)))
        }
    }
}
