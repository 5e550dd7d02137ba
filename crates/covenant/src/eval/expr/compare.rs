//! Comparisons, membership and tolerance tests, with implicit each over a list side.

use std::cmp::Ordering;
use std::rc::Rc;

use crate::resolve::ir::{Base, Each, Expr, ExprKind as K};
use crate::schema::Type;
use crate::syntax::ast::{ArithOp, CmpOp};
use crate::value::Scalar;

use super::super::near_miss::{self, loose_pair};
use super::super::note::{NeedsList, Reason};
use super::super::outcome::ELEMENTS_SHOWN;
use super::super::shown::{Element, Op};
use super::super::value::{
    self, arith, compare, origin_path, scalar_cmp, scalar_eq, why, Val, Why,
};
use super::collect::{Collect, Facts};
use super::fact::{Against, Fact, Tv};
use super::judgement::{test_fact, Judgement};
use super::members::{self, Found, Members};
use super::Evaluator;

/// Whether `ord` satisfies `op`.
pub(super) fn holds(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Ge => ord.is_ge(),
        CmpOp::Eq => ord.is_eq(),
        CmpOp::Ne => ord.is_ne(),
    }
}

/// [`scalar_test`] of two numbers or two percents (most tests): their order, with no near miss
/// or unit to find; None for any other pair.
#[inline(always)]
pub(crate) fn numbers_test(op: CmpOp, a: &Scalar, b: &Scalar) -> Option<bool> {
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) | (Scalar::Percent(x), Scalar::Percent(y)) => {
            Some(holds(op, x.cmp(y)))
        }
        _ => None,
    }
}

/// `a op b` for two scalars (SPEC §2.5): whether it holds, or why it is unknown (they cannot
/// be compared). None for two strings found unequal that differ only in case or surrounding
/// white space: a near miss (SPEC §2.6), which only a caller who knows which side is the
/// deal's can settle.
pub(crate) fn scalar_test(op: CmpOp, a: &Scalar, b: &Scalar) -> Option<Result<bool, Why>> {
    if let Some(held) = numbers_test(op, a, b) {
        return Some(Ok(held));
    }
    match op {
        CmpOp::Eq | CmpOp::Ne => match scalar_eq(a, b) {
            Ok(false) if loose_pair(a, b) => None,
            eq => Some(eq.map(|e| e == (op == CmpOp::Eq))),
        },
        _ => Some(scalar_cmp(a, b).map(|ord| holds(op, ord))),
    }
}

/// The truth of `x [not] in L` from what was found of `x` in `L`; `near` when a string of `L`
/// differs from `x` only in case or white space (SPEC §2.6), which makes a `false` unknown.
pub(super) fn member_tv(found: &Found, near: bool, negated: bool) -> Tv {
    let tv = match found.tv {
        Tv::False if near => Tv::Unknown,
        tv => tv,
    };
    if negated {
        tv.negate()
    } else {
        tv
    }
}

impl<'d> Evaluator<'d> {
    pub(super) fn compare<C: Collect>(
        &mut self,
        op: CmpOp,
        lhs: &Expr,
        rhs: &Expr,
        each: Each,
    ) -> Judgement<'d, C> {
        if !C::FACTS && each == Each::None {
            if let Some(tv) = self.compare_in_place(op, lhs, rhs) {
                return Judgement::of(tv);
            }
        }
        if !C::FACTS && each != Each::None {
            if let Some(tv) = self.each_cmp_in_place(op, lhs, rhs, each) {
                return Judgement::of(tv);
            }
        }
        let a = self.value(lhs);
        let b = self.value(rhs);
        match each {
            Each::None => {
                let mut j = self.test_cmp(op, lhs, &a, &b, false);
                if C::FACTS && j.tv != Tv::True {
                    // A false test's fact shows `a` at its place already.
                    let shown = (j.tv == Tv::False).then_some(&a);
                    self.parts_beside::<C>(lhs, shown, &mut j.facts);
                    self.parts::<C>(rhs, &mut j.facts);
                }
                j
            }
            Each::Left => self.each_of(
                lhs,
                a,
                |s, x| s.test_cmp(op, lhs, x, &b, false),
                |s, x| s.test_cmp(op, lhs, x, &b, false),
            ),
            Each::Right => self.each_of(
                rhs,
                b,
                |s, y| s.test_cmp(op, rhs, y, &a, true),
                |s, y| s.test_cmp(op, rhs, y, &a, true),
            ),
        }
    }

    /// The truth of a comparison with implicit each whose list side is a projection read in
    /// place (see [`Evaluator::projection`]): what [`Evaluator::each_of`] gives without facts
    /// on the projected list, each element's value found as it is tested, in the same order
    /// (a near miss is recorded as before). None (compute the values) when the list side is
    /// not such a projection on the left, or is where a party-scoped approval covers.
    fn each_cmp_in_place(&mut self, op: CmpOp, lhs: &Expr, rhs: &Expr, each: Each) -> Option<Tv> {
        // The list on the left only: its value is computed first, as it is when the values
        // are (the right side is computed after it, once, whichever way this goes).
        if each != Each::Left || self.is_cover_site(lhs) {
            return None;
        }
        let (elems, step) = self.projection(lhs)?;
        let bound = self.value(rhs);
        let mut all = Tv::True;
        for e in elems.iter() {
            let x = self.step(&e.val, step);
            let tv = self
                .test_cmp::<super::collect::Quick>(op, lhs, &x, &bound, false)
                .tv;
            all = all.and(super::each::element_tv(e.maybe.as_ref(), tv));
            if all == Tv::False {
                break;
            }
        }
        Some(all)
    }

    /// The deal values inside a computed operand (the elements of a total, the operands of
    /// arithmetic), so evidence can point at them.
    pub(super) fn parts<C: Collect>(&mut self, e: &Expr, out: &mut C::Facts<'d>) {
        self.parts_beside::<C>(e, None, out);
    }

    /// [`Evaluator::parts`] of `e`, whose value a test's fact holds already when `shown` is
    /// that value: a path's own part is then left out where the value has a place in the deal,
    /// as the evidence would leave it out (a value already shown at the same place needs no
    /// second label, `evidence_at`).
    fn parts_beside<C: Collect>(
        &mut self,
        e: &Expr,
        shown: Option<&Val<'d>>,
        out: &mut C::Facts<'d>,
    ) {
        if yields_no_parts(e) {
            return;
        }
        self.derived_parts::<C>(e, out);
        match &e.kind {
            // Only scalars are parts: a count of records has none (and with them, looking would
            // make `every party: share = 100% / count of parties` quadratic).
            K::Aggregate { arg, .. } if matches!(arg.ty.element(), Type::Record(_)) => {}
            K::Aggregate { arg, .. } => {
                if let Val::List(elems, _) = self.value(arg) {
                    // An item definition's parts follow its value on each item.
                    let defined = self.define_items(arg);
                    for (k, el) in elems.iter().take(ELEMENTS_SHOWN).enumerate() {
                        part::<C>(arg, &el.val, out);
                        if let Some((index, items)) = &defined {
                            if let Some(item) = items.get(k) {
                                self.define_parts::<C>(*index, item, out);
                            }
                        }
                    }
                    let more = elems.len().saturating_sub(ELEMENTS_SHOWN);
                    if more > 0 {
                        out.push(|| self.listed(arg).more(more));
                    }
                }
            }
            K::Arith { first, rest } => {
                self.parts::<C>(first, out);
                for (_, term) in rest {
                    self.parts::<C>(term, out);
                }
            }
            K::DateShift(_) => self.computed_dates::<C>(e, out),
            K::DaysBetween { later, earlier } => {
                self.parts::<C>(later, out);
                self.parts::<C>(earlier, out);
            }
            K::YearOf(arg) => self.parts::<C>(arg, out),
            // A table's value is shown by its row (see `derived_parts`).
            K::Path { .. } if self.names_table(e) => {}
            K::Path { .. } => {
                let placed = |v: &Val<'d>| matches!(v, Val::Scalar(_, o) if o.span.get().is_some());
                if !shown.is_some_and(placed) {
                    let v = self.value(e);
                    part::<C>(e, &v, out);
                }
                if let Some((index, items)) = self.define_items(e) {
                    for item in items.iter().take(ELEMENTS_SHOWN) {
                        self.define_parts::<C>(index, item, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// One comparison; `flipped` when `x` is the right operand (the element side).
    fn test_cmp<C: Collect>(
        &self,
        op: CmpOp,
        subject: &Expr,
        x: &Val<'d>,
        bound: &Val<'d>,
        flipped: bool,
    ) -> Judgement<'d, C> {
        let (l, r) = if flipped { (bound, x) } else { (x, bound) };
        let held = match (l, r) {
            (Val::Scalar(a, _), Val::Scalar(b, _)) => match scalar_test(op, a, b) {
                Some(Ok(held)) => held,
                Some(Err(w)) => return self.unknown_judgement(Rc::new(self.located(w, x))),
                None => match self.near_miss(x, bound) {
                    Some(w) => return self.unknown_judgement(Rc::new(w)),
                    None => op == CmpOp::Ne,
                },
            },
            _ => match compare(l, r) {
                Ok(ord) => holds(op, ord),
                Err(w) => return self.unknown_judgement(Rc::new(self.located(w, x))),
            },
        };
        let mut j: Judgement<'d, C> = Judgement::of(if held { Tv::True } else { Tv::False });
        j.facts.push(|| {
            let op = if flipped { op.mirrored() } else { op };
            test_fact(subject, x, Op::Cmp(op), Against::Val(bound.clone()), held)
        });
        j
    }

    /// The near miss of `a` and `b`, found unequal (SPEC §2.6): recorded as a deal warning,
    /// and the reason the comparison is unknown, at the deal value.
    pub(super) fn near_miss(&self, a: &Val<'d>, b: &Val<'d>) -> Option<Why> {
        let m = near_miss::between(a, b)?;
        self.near_misses.borrow_mut().add(&m);
        let deal_side = if matches!(a, Val::Scalar(_, o) if o.span.get().is_some()) {
            a
        } else {
            b
        };
        let reason = Reason::NearMiss(Box::new((m.deal, m.literal)));
        Some(self.located(why(reason), deal_side))
    }

    /// Attach the element and position of `x` to an unknown reason that lacks them.
    pub(super) fn located(&self, mut w: Why, x: &Val<'d>) -> Why {
        if let Val::Scalar(_, o) = x {
            if w.span.is_none() {
                w.span = o.span.get();
                w.element = o.item.map(|i| Element::of(&self.policy.schema, &i));
                w.path = origin_path(o).map(String::into_boxed_str);
            }
        }
        w
    }

    pub(super) fn membership<C: Collect>(
        &mut self,
        elem: &Expr,
        list: &Expr,
        negated: bool,
        each: Each,
    ) -> Judgement<'d, C> {
        if !C::FACTS {
            let decided = match each {
                Each::None => self.member_in_place(elem, list, negated),
                // A covering test skips elements (SPEC §10): not in place.
                Each::Left if self.is_cover_site(elem) => None,
                Each::Left => self.each_member_in_place(elem, list, negated),
                Each::Right => None,
            };
            if let Some(tv) = decided {
                return Judgement::of(tv);
            }
        }
        let l = self.value(list);
        let x = self.value(elem);
        let uses = match (&x, each) {
            (Val::List(xs, _), Each::Left) => xs.len(),
            _ => 1,
        };
        let index = self.members(list, &l, uses);
        let index = index.as_deref();
        match each {
            Each::None => {
                let mut j = self.test_in(elem, &x, list, &l, negated, index);
                if C::FACTS && j.tv != Tv::True {
                    self.derived_parts::<C>(elem, &mut j.facts);
                }
                j
            }
            _ => self.each_of(
                elem,
                x,
                |s, v| s.test_in(elem, v, list, &l, negated, index),
                |s, v| s.test_in(elem, v, list, &l, negated, index),
            ),
        }
    }

    /// `x [not] in l`, with `l`'s index when it has one.
    fn test_in<C: Collect>(
        &self,
        subject: &Expr,
        x: &Val<'d>,
        list_expr: &Expr,
        list: &Val<'d>,
        negated: bool,
        index: Option<&Members>,
    ) -> Judgement<'d, C> {
        let elems = match list {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => return self.unknown_judgement(w.clone()),
            _ => {
                return self
                    .unknown_judgement(Rc::new(why(Reason::NeedsList(NeedsList::Membership))))
            }
        };
        if let Val::Unknown(w) = x {
            return self.unknown_judgement(w.clone());
        }
        let found = match x {
            Val::Scalar(s, _) => members::find(s, elems, index, C::FACTS),
            _ => members::scan(None, elems, C::FACTS, |v| value::equal(x, v)),
        };
        // A string that differs from a policy literal only in case or white space makes the
        // answer unknown unless the value is surely in the list (SPEC §2.6).
        let near: Vec<Why> = match found.tv {
            Tv::True => Vec::new(),
            _ => found
                .loose
                .iter()
                .filter_map(|&at| elems.get(at))
                .filter_map(|e| self.near_miss(x, &e.val))
                .collect(),
        };
        let tv = member_tv(&found, !near.is_empty(), negated);
        let mut j: Judgement<'d, C> = Judgement::of(tv);
        if !C::FACTS {
            return j;
        }
        if tv == Tv::Unknown {
            let shown = near.len().min(ELEMENTS_SHOWN);
            let more_near = near.len() - shown;
            for w in near.into_iter().take(shown) {
                j.facts.push(|| Fact::Unknown(Rc::new(w)));
            }
            // Why each element named is unknown: it may belong, or it cannot be compared.
            for e in found.why.iter().filter_map(|&at| elems.get(at)) {
                match value::equal(x, &e.val) {
                    Ok(true) => {
                        if let Some(w) = &e.maybe {
                            j.facts.push(|| Fact::Unknown(w.clone()));
                        }
                    }
                    Err(w) => j.facts.push(|| Fact::Unknown(Rc::new(w))),
                    Ok(false) => {}
                }
            }
            let more = found.count - found.why.len() + more_near;
            if more > 0 {
                j.facts.push(|| self.listed(list_expr).more(more));
            }
        } else {
            let op = if negated { Op::NotIn } else { Op::In };
            let held = tv == Tv::True;
            j.facts
                .push(|| test_fact(subject, x, op, Against::Val(list.clone()), held));
        }
        j
    }

    pub(super) fn within<C: Collect>(
        &mut self,
        lhs: &Expr,
        tol: &Expr,
        rhs: &Expr,
        each: Each,
    ) -> Judgement<'d, C> {
        let a = self.value(lhs);
        let t = self.value(tol);
        let b = self.value(rhs);
        match each {
            Each::None => {
                let mut j = self.test_within(&a, &b, &t, lhs);
                if C::FACTS && j.tv != Tv::True {
                    self.derived_parts::<C>(lhs, &mut j.facts);
                    self.derived_parts::<C>(rhs, &mut j.facts);
                }
                j
            }
            Each::Left => self.each_of(
                lhs,
                a,
                |s, x| s.test_within(x, &b, &t, lhs),
                |s, x| s.test_within(x, &b, &t, lhs),
            ),
            Each::Right => self.each_of(
                rhs,
                b,
                |s, y| s.test_within(y, &a, &t, rhs),
                |s, y| s.test_within(y, &a, &t, rhs),
            ),
        }
    }

    /// `|x - y| <= t`.
    fn test_within<C: Collect>(
        &self,
        x: &Val<'d>,
        y: &Val<'d>,
        t: &Val<'d>,
        subject: &Expr,
    ) -> Judgement<'d, C> {
        let diff = arith(ArithOp::Sub, x, y);
        let neg = arith(ArithOp::Sub, y, x);
        let held = match (compare(&diff, t), compare(&neg, t)) {
            (Ok(o1), Ok(o2)) => o1.is_le() && o2.is_le(),
            (Err(w), _) | (_, Err(w)) => {
                return self.unknown_judgement(Rc::new(self.located(w, x)))
            }
        };
        let mut j: Judgement<'d, C> = Judgement::of(if held { Tv::True } else { Tv::False });
        j.facts.push(|| {
            let bound = Against::Tolerance {
                around: y.clone(),
                tolerance: t.clone(),
            };
            test_fact(subject, x, Op::Within, bound, held)
        });
        j
    }
}

/// Whether [`Evaluator::parts`] of `e` gives no fact, whatever the deal: a constant, a count of
/// records read from the deal (not through a definition, which may be `… per …` or a
/// conversion), arithmetic of these (`100% / count of parties`). Their parts are not looked
/// for on each element a test fails on.
fn yields_no_parts(e: &Expr) -> bool {
    match &e.kind {
        K::Const(_) => true,
        K::Arith { first, rest } => {
            yields_no_parts(first) && rest.iter().all(|(_, t)| yields_no_parts(t))
        }
        K::Aggregate { arg, .. } => {
            matches!(arg.ty.element(), Type::Record(_))
                && matches!(&arg.kind, K::Path { base, .. } if !matches!(base, Base::Let(_)))
        }
        _ => false,
    }
}

/// A deal value that went into a computed operand.
fn part<'d, C: Collect>(subject: &Expr, v: &Val<'d>, out: &mut C::Facts<'d>) {
    if let Val::Scalar(..) = v {
        out.push(|| Fact::Part {
            subject: subject.text.clone(),
            value: v.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use crate::resolve::compile_str;
    use crate::resolve::ir::ExprKind as K;

    /// Two numbers or two percents are tested by their order, every operator as on the
    /// fractions themselves; a number and a percent are left to the general test (their
    /// units differ).
    #[test]
    fn numbers_are_tested_by_their_order() {
        use crate::number::Exact;
        use crate::syntax::ast::CmpOp;
        use crate::value::Scalar;
        let values = [(-3, 1), (0, 1), (1, 3), (33, 100), (1, 2), (2, 1), (7, 2)];
        let exact =
            |(n, d): (i128, i128)| Exact::from_int(n).checked_div(Exact::from_int(d)).unwrap();
        let ops = CmpOp::ALL;
        for a in values {
            for b in values {
                let (x, y) = (a.0 * b.1, b.0 * a.1);
                let expected = [x < y, x <= y, x > y, x >= y, x == y, x != y];
                for (op, want) in ops.into_iter().zip(expected) {
                    for (p, q) in [
                        (Scalar::Number(exact(a)), Scalar::Number(exact(b))),
                        (Scalar::Percent(exact(a)), Scalar::Percent(exact(b))),
                    ] {
                        assert_eq!(
                            super::numbers_test(op, &p, &q),
                            Some(want),
                            "{p:?} {op:?} {q:?}"
                        );
                    }
                    let mixed = (Scalar::Number(exact(a)), Scalar::Percent(exact(b)));
                    assert_eq!(super::numbers_test(op, &mixed.0, &mixed.1), None);
                }
            }
        }
    }

    /// The operands whose parts are not looked for are those that can have none: a count of
    /// records read from the deal, a constant, arithmetic of them; a count through a
    /// definition, a total of values and arithmetic with a deal value are looked at.
    #[test]
    fn only_operands_that_can_have_no_parts_are_passed_over() {
        let p = compile_str(
            "t.policy",
            r#"let foreign partner = parties where country != "US"
rule a: every party: profit share = 100% / count of parties
rule b: every party: stake < 50%
rule c: every party: stake < 100% / count of foreign partner
rule d: every party: stake < total foreign partner stake / 2
rule e: board seats > board seats / 2
"#,
        )
        .unwrap()
        .policy;
        let bound = |i: usize| match &p.rules[i].require[0].kind {
            K::Quant { body, .. } => match &body.as_ref().unwrap().kind {
                K::Compare { rhs, .. } => super::yields_no_parts(rhs),
                k => panic!("{k:?}"),
            },
            K::Compare { rhs, .. } => super::yields_no_parts(rhs),
            k => panic!("{k:?}"),
        };
        assert_eq!(
            (0..5).map(bound).collect::<Vec<_>>(),
            [true, true, false, false, false]
        );
    }
}
