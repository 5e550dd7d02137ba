//! Quick-pass shortcuts: when only a truth value is wanted, a comparison, membership or
//! condition whose operands are scalars found in place (a literal, a definition, a field of
//! the deal root or of the current item) is decided on those scalars, without building values.
//! Anything else (a computed operand, a missing or null field, a list) takes the general path,
//! which gives the same truth value.
//!
//! Two strings that differ only in case or surrounding white space are also left to the
//! general path: only there is it known which side is the deal's and which the policy's, so
//! only there is a near miss (SPEC §2.6) made unknown and recorded. The check runs after the
//! bytes differ, so equal and plainly different strings are still decided here.

use std::cmp::Ordering;

use crate::deal::tree::{Node, NodeValue};
use crate::resolve::ir::{Base, Expr, ExprKind as K};
use crate::syntax::ast::CmpOp;
use crate::value::Scalar;

use super::super::near_miss::loose_pair;
use super::super::value::{equal_scalar, scalar_cmp, scalar_eq, Elem, Val};
use super::judgement::Tv;
use super::members::{self, Members};
use super::Evaluator;

/// Where a scalar operand is: in the policy, in the deal, or in a kept definition.
#[derive(Clone, Copy)]
enum Operand<'x, 'd> {
    Literal(&'x Scalar),
    Deal(&'d Scalar),
    Let(usize),
}

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

impl<'d> Evaluator<'d> {
    /// The scalar `e` evaluates to, when it can be read in place: what
    /// [`Evaluator::value`] would give as `Val::Scalar` with that scalar.
    fn operand<'x>(&mut self, e: &'x Expr) -> Option<Operand<'x, 'd>> {
        let (base, step) = match &e.kind {
            K::Const(s) => return Some(Operand::Literal(s)),
            K::Path { base, steps } => match steps.as_slice() {
                [] => {
                    let Base::Let(i) = base else { return None };
                    self.cache_let(*i);
                    return Some(Operand::Let(*i));
                }
                [one] if !one.map => (base, one),
                _ => return None,
            },
            _ => return None,
        };
        let record = match base {
            Base::Root => &self.deal.root,
            Base::Item(d) => match self.item(*d)? {
                Val::Record(r, _) => *r,
                _ => return None,
            },
            Base::Let(_) => return None,
        };
        match &record.field(step.field)?.value {
            NodeValue::Scalar(s) => Some(Operand::Deal(s)),
            _ => None,
        }
    }

    /// The deal nodes of `e` when it is a list field of the root or of the current item, read
    /// in place; None unless every element is a scalar or null.
    fn list_operand(&self, e: &Expr) -> Option<&'d [Node]> {
        let K::Path { base, steps } = &e.kind else {
            return None;
        };
        let [step] = steps.as_slice() else {
            return None;
        };
        if step.map {
            return None;
        }
        let record = match base {
            Base::Root => &self.deal.root,
            Base::Item(d) => match self.item(*d)? {
                Val::Record(r, _) => *r,
                _ => return None,
            },
            Base::Let(_) => return None,
        };
        match &record.field(step.field)?.value {
            NodeValue::List(nodes)
                if nodes
                    .iter()
                    .all(|n| matches!(n.value, NodeValue::Scalar(_) | NodeValue::Null)) =>
            {
                Some(nodes)
            }
            _ => None,
        }
    }

    fn scalar<'s>(&'s self, o: Operand<'s, 'd>) -> Option<&'s Scalar> {
        match o {
            Operand::Literal(s) | Operand::Deal(s) => Some(s),
            Operand::Let(i) => match self.lets.get(i) {
                Some(Some(Val::Scalar(s, _))) => Some(s),
                _ => None,
            },
        }
    }

    /// `lhs op rhs` on scalars found in place (quick pass only).
    pub(super) fn quick_compare(&mut self, op: CmpOp, lhs: &Expr, rhs: &Expr) -> Option<Tv> {
        if self.collect {
            return None;
        }
        let a = self.operand(lhs)?;
        let b = self.operand(rhs)?;
        let (a, b) = (self.scalar(a)?, self.scalar(b)?);
        let held = match op {
            CmpOp::Eq | CmpOp::Ne => match scalar_eq(a, b) {
                Ok(false) if loose_pair(a, b) => return None,
                eq => eq.map(|e| e == (op == CmpOp::Eq)),
            },
            _ => scalar_cmp(a, b).map(|ord| holds(op, ord)),
        };
        Some(match held {
            Ok(true) => Tv::True,
            Ok(false) => Tv::False,
            Err(_) => Tv::Unknown,
        })
    }

    /// `elem [not] in list` for an element found in place (quick pass only): as
    /// [`Evaluator::test_in`] decides it.
    pub(super) fn quick_membership(
        &mut self,
        elem: &Expr,
        list: &Expr,
        negated: bool,
    ) -> Option<Tv> {
        if self.collect {
            return None;
        }
        let x = self.operand(elem)?;
        let l = self.value(list);
        let index = self.members(list, &l, 1);
        let Val::List(elems, _) = &l else {
            return None;
        };
        let x = self.scalar(x)?;
        member(x, elems, index.as_deref(), negated)
    }

    /// `elems [not] in list` for a list field read in place, each element tested (implicit
    /// each, quick pass only): as [`Evaluator::each_of`] over [`Evaluator::test_in`] decides.
    pub(super) fn quick_membership_each(
        &mut self,
        elem: &Expr,
        list: &Expr,
        negated: bool,
    ) -> Option<Tv> {
        if self.collect {
            return None;
        }
        let nodes = self.list_operand(elem)?;
        let l = self.value(list);
        let index = self.members(list, &l, nodes.len());
        let index = index.as_deref();
        let Val::List(elems, _) = &l else {
            return None;
        };
        let mut unknown = false;
        for n in nodes {
            // A null element is an unknown value: its test is unknown.
            let tv = match &n.value {
                NodeValue::Scalar(x) => member(x, elems, index, negated)?,
                _ => Tv::Unknown,
            };
            match tv {
                Tv::True => {}
                Tv::False => return Some(Tv::False),
                Tv::Unknown => unknown = true,
            }
        }
        Some(if unknown { Tv::Unknown } else { Tv::True })
    }

    /// A condition that is a bool found in place (quick pass only).
    pub(super) fn quick_bool(&mut self, e: &Expr) -> Option<Tv> {
        if self.collect {
            return None;
        }
        let o = self.operand(e)?;
        Some(match self.scalar(o)? {
            Scalar::Bool(true) => Tv::True,
            Scalar::Bool(false) => Tv::False,
            _ => Tv::Unknown,
        })
    }
}

/// `x [not] in elems`, as [`Evaluator::test_in`] decides it for a known `x`; None (the general
/// path decides) when `x` is not surely in the list and an element differs from it only in case
/// or white space.
fn member(x: &Scalar, elems: &[Elem<'_>], index: Option<&Members>, negated: bool) -> Option<Tv> {
    let found = match index {
        Some(index) => index.find(x, elems, false),
        None => members::scan(Some(x), elems, false, |v| equal_scalar(x, v)),
    };
    if found.tv != Tv::True && !found.loose.is_empty() {
        return None;
    }
    Some(if negated { found.tv.negate() } else { found.tv })
}
