//! Comparisons, membership and tolerance tests, with implicit each over a list side.

use std::rc::Rc;

use crate::resolve::ir::{Each, Expr, ExprKind as K};
use crate::schema::Type;
use crate::syntax::ast::CmpOp;

use super::super::near_miss;
use super::super::note::{NeedsList, Reason};
use super::super::outcome::ELEMENTS_SHOWN;
use super::super::shown::{Element, Op};
use super::super::value::{self, arith, compare, origin_path, why, Val, Why};
use super::judgement::{test_fact, Against, Fact, Judgement, Parts, Tv};
use super::members::{self, Members};
use super::quick::holds;
use super::Evaluator;

impl<'d> Evaluator<'d> {
    /// Evaluate `test` on every element of the list side (implicit each): every element must
    /// hold; elements whose membership is unknown can only make the result unknown.
    pub(super) fn each_of(
        &mut self,
        list: &Expr,
        value: Val<'d>,
        mut test: impl FnMut(&mut Self, &Val<'d>) -> Judgement<'d>,
    ) -> Judgement<'d> {
        let elems = match value {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => return self.unknown_judgement(w),
            other => return test(self, &other),
        };
        if !self.collect {
            // Only the truth value: no parts to keep, and the first false element decides.
            let mut unknown = false;
            for e in elems.iter() {
                match test(self, &e.val).tv {
                    Tv::True => {}
                    Tv::False if e.maybe.is_none() => return Judgement::of(Tv::False),
                    Tv::False | Tv::Unknown => unknown = true,
                }
            }
            return Judgement::of(if unknown { Tv::Unknown } else { Tv::True });
        }
        let listed = self.listed(list);
        let mut parts = Parts::new();
        for e in elems.iter() {
            if parts.any_full() {
                // Past the elements whose facts are kept: the truth value first, quickly.
                let collect = std::mem::replace(&mut self.collect, false);
                let tv = match (&e.maybe, test(self, &e.val).tv) {
                    (Some(_), Tv::False | Tv::Unknown) => Tv::Unknown,
                    (_, tv) => tv,
                };
                self.collect = collect;
                if !parts.wants(tv) {
                    parts.count_only(tv);
                    continue;
                }
            }
            let j = test(self, &e.val);
            let j = match (&e.maybe, j.tv) {
                (Some(w), Tv::False | Tv::Unknown) => {
                    let mut facts = j.facts;
                    facts.push(Fact::Unknown(w.clone()));
                    Judgement {
                        tv: Tv::Unknown,
                        facts,
                    }
                }
                _ => j,
            };
            parts.push(j);
        }
        parts.every(&listed)
    }

    pub(super) fn compare(
        &mut self,
        op: CmpOp,
        lhs: &Expr,
        rhs: &Expr,
        each: Each,
    ) -> Judgement<'d> {
        if each == Each::None {
            if let Some(tv) = self.quick_compare(op, lhs, rhs) {
                return Judgement::of(tv);
            }
        }
        let a = self.value(lhs);
        let b = self.value(rhs);
        match each {
            Each::None => {
                let mut j = self.test_cmp(op, lhs, &a, &b, false);
                if self.collect && j.tv != Tv::True {
                    self.parts(lhs, &mut j.facts);
                    self.parts(rhs, &mut j.facts);
                }
                j
            }
            Each::Left => self.each_of(lhs, a, |s, x| s.test_cmp(op, lhs, x, &b, false)),
            Each::Right => self.each_of(rhs, b, |s, y| s.test_cmp(op, rhs, y, &a, true)),
        }
    }

    /// The deal values inside a computed operand (the elements of a total, the operands of
    /// arithmetic), so evidence can point at them.
    fn parts(&mut self, e: &Expr, out: &mut Vec<Fact<'d>>) {
        match &e.kind {
            // Only scalars are parts: a count of records has none (and with them, looking would
            // make `every party: share = 100% / count of parties` quadratic).
            K::Aggregate { arg, .. } if matches!(arg.ty.element(), Type::Record(_)) => {}
            K::Aggregate { arg, .. } => {
                if let Val::List(elems, _) = self.value(arg) {
                    for el in elems.iter().take(ELEMENTS_SHOWN) {
                        self.part(arg, &el.val, out);
                    }
                    let more = elems.len().saturating_sub(ELEMENTS_SHOWN);
                    if more > 0 {
                        out.push(self.listed(arg).more(more));
                    }
                }
            }
            K::Arith { first, rest } => {
                self.parts(first, out);
                for (_, term) in rest {
                    self.parts(term, out);
                }
            }
            K::Path { .. } => {
                let v = self.value(e);
                self.part(e, &v, out);
            }
            _ => {}
        }
    }

    fn part(&self, subject: &Expr, v: &Val<'d>, out: &mut Vec<Fact<'d>>) {
        if let Val::Scalar(s, origin) = v {
            let _ = (s, origin);
            out.push(Fact::Part {
                subject: subject.text.clone(),
                value: v.clone(),
            });
        }
    }

    /// One comparison; `flipped` when `x` is the right operand (the element side).
    fn test_cmp(
        &self,
        op: CmpOp,
        subject: &Expr,
        x: &Val<'d>,
        bound: &Val<'d>,
        flipped: bool,
    ) -> Judgement<'d> {
        let (l, r) = if flipped { (bound, x) } else { (x, bound) };
        let held = match compare(l, r) {
            Ok(ord) if ord.is_ne() && matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                if let Some(w) = self.near_miss(x, bound) {
                    return self.unknown_judgement(Rc::new(w));
                }
                holds(op, ord)
            }
            Ok(ord) => holds(op, ord),
            Err(w) => return self.unknown_judgement(Rc::new(self.located(w, x))),
        };
        let mut j = Judgement::of(if held { Tv::True } else { Tv::False });
        if self.collect {
            let op = if flipped { op.mirrored() } else { op };
            j.facts.push(test_fact(
                subject,
                x,
                Op::Cmp(op),
                Against::Val(bound.clone()),
                held,
            ));
        }
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
        let reason = Reason::NearMiss {
            deal: m.deal,
            literal: m.literal,
        };
        Some(self.located(why(reason), deal_side))
    }

    /// Attach the element and position of `x` to an unknown reason that lacks them.
    pub(super) fn located(&self, mut w: Why, x: &Val<'d>) -> Why {
        if let Val::Scalar(_, o) = x {
            if w.span.is_none() {
                w.span = o.span.get();
                w.element = o.item.map(|i| Element::of(&self.policy.schema, &i));
                w.path = origin_path(o);
            }
        }
        w
    }

    pub(super) fn membership(
        &mut self,
        elem: &Expr,
        list: &Expr,
        negated: bool,
        each: Each,
    ) -> Judgement<'d> {
        let quick = match each {
            Each::None => self.quick_membership(elem, list, negated),
            Each::Left => self.quick_membership_each(elem, list, negated),
            Each::Right => None,
        };
        if let Some(tv) = quick {
            return Judgement::of(tv);
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
            Each::None => self.test_in(elem, &x, list, &l, negated, index),
            _ => self.each_of(elem, x, |s, v| s.test_in(elem, v, list, &l, negated, index)),
        }
    }

    /// `x [not] in l`, with `l`'s index when it has one.
    fn test_in(
        &self,
        subject: &Expr,
        x: &Val<'d>,
        list_expr: &Expr,
        list: &Val<'d>,
        negated: bool,
        index: Option<&Members>,
    ) -> Judgement<'d> {
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
        let found = match (x, index) {
            (Val::Scalar(s, _), Some(index)) => index.find(s, elems, self.collect),
            _ => {
                let scalar = match x {
                    Val::Scalar(s, _) => Some(s),
                    _ => None,
                };
                members::scan(scalar, elems, self.collect, |v| value::equal(x, v))
            }
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
        let found_tv = match found.tv {
            Tv::False if !near.is_empty() => Tv::Unknown,
            tv => tv,
        };
        let tv = if negated { found_tv.negate() } else { found_tv };
        let mut j = Judgement::of(tv);
        if !self.collect {
            return j;
        }
        if tv == Tv::Unknown {
            let shown = near.len().min(ELEMENTS_SHOWN);
            let more_near = near.len() - shown;
            j.facts.extend(
                near.into_iter()
                    .take(shown)
                    .map(|w| Fact::Unknown(Rc::new(w))),
            );
            // Why each element named is unknown: it may belong, or it cannot be compared.
            for e in found.why.iter().filter_map(|&at| elems.get(at)) {
                match value::equal(x, &e.val) {
                    Ok(true) => j.facts.extend(e.maybe.clone().map(Fact::Unknown)),
                    Err(w) => j.facts.push(Fact::Unknown(Rc::new(w))),
                    Ok(false) => {}
                }
            }
            let more = found.count - found.why.len() + more_near;
            if more > 0 {
                j.facts.push(self.listed(list_expr).more(more));
            }
        } else {
            let op = if negated { Op::NotIn } else { Op::In };
            j.facts.push(test_fact(
                subject,
                x,
                op,
                Against::Val(list.clone()),
                tv == Tv::True,
            ));
        }
        j
    }

    pub(super) fn within(
        &mut self,
        lhs: &Expr,
        tol: &Expr,
        rhs: &Expr,
        each: Each,
    ) -> Judgement<'d> {
        let a = self.value(lhs);
        let t = self.value(tol);
        let b = self.value(rhs);
        let test = |s: &mut Self, x: &Val<'d>, y: &Val<'d>, subject: &Expr| -> Judgement<'d> {
            let diff = arith(crate::syntax::ast::ArithOp::Sub, x, y);
            let neg = arith(crate::syntax::ast::ArithOp::Sub, y, x);
            let held = match (compare(&diff, &t), compare(&neg, &t)) {
                (Ok(o1), Ok(o2)) => o1.is_le() && o2.is_le(),
                (Err(w), _) | (_, Err(w)) => return s.unknown_judgement(Rc::new(s.located(w, x))),
            };
            let mut j = Judgement::of(if held { Tv::True } else { Tv::False });
            if s.collect {
                let bound = Against::Tolerance {
                    around: y.clone(),
                    tolerance: t.clone(),
                };
                j.facts.push(test_fact(subject, x, Op::Within, bound, held));
            }
            j
        };
        match each {
            Each::None => test(self, &a, &b, lhs),
            Each::Left => self.each_of(lhs, a, |s, x| test(s, x, &b, lhs)),
            Each::Right => self.each_of(rhs, b, |s, y| test(s, y, &a, rhs)),
        }
    }
}
