//! Operands read in place: when only a truth value is wanted, a comparison, membership or
//! condition whose operands are scalars where they are (a literal, a definition, a field of the
//! deal root or of the current item, a value kept for the deal in a body) is decided on those scalars without building values,
//! by the same functions that decide it on values ([`scalar_test`], [`member_tv`],
//! [`truth_of`]). Anything else (a computed operand, a missing or null field, a list) is left
//! to the values.
//!
//! Two strings that differ only in case or surrounding white space are also left to the
//! values: only there is it known which side is the deal's and which the policy's, so only
//! there is a near miss (SPEC §2.6) made unknown and recorded.

use crate::deal::tree::{Node, NodeValue};
use crate::resolve::ir::{Base, Expr, ExprKind as K};
use crate::syntax::ast::CmpOp;
use crate::value::Scalar;

use super::super::value::{Elem, Val};
use super::compare::{member_tv, scalar_test};
use super::fact::Tv;
use super::members::{self, Members};
use super::{truth_of, Evaluator};

/// Where a scalar operand is: in the policy, in the deal, or in a kept definition.
#[derive(Clone, Copy)]
enum Operand<'x, 'd> {
    Literal(&'x Scalar),
    Deal(&'d Scalar),
    Let(usize),
    /// A value kept for the deal in a body (see [`Evaluator::hoisted_value`]), by slot.
    Hoisted(usize),
}

impl<'d> Evaluator<'d> {
    /// The scalar `e` evaluates to, when it can be read in place: what
    /// [`Evaluator::value`] would give as `Val::Scalar` with that scalar.
    fn operand<'x>(&mut self, e: &'x Expr) -> Option<Operand<'x, 'd>> {
        if let (Some(slot), true) = (e.hoist, self.in_body()) {
            self.cache_hoisted(slot, e);
            return Some(Operand::Hoisted(slot as usize));
        }
        let (base, step) = match &e.kind {
            K::Const(s) => return Some(Operand::Literal(s)),
            K::Path { base, steps } => match steps.as_slice() {
                [] => {
                    let Base::Let(i) = base else { return None };
                    self.cache_let(*i);
                    return Some(Operand::Let(*i));
                }
                [one] if !one.map && !self.is_computed(one) => (base, one),
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
        if step.map || self.is_computed(step) {
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

    /// Whether `step` reads a computed field (SPEC §7, §8), which has no slot to read: an
    /// entity record read as a party has the party's fields in those places.
    fn is_computed(&self, step: &crate::resolve::ir::Step) -> bool {
        self.policy
            .schema
            .record(step.record)
            .fields
            .get(step.field)
            .is_some_and(|f| f.computed.is_some())
    }

    fn scalar<'s>(&'s self, o: Operand<'s, 'd>) -> Option<&'s Scalar> {
        match o {
            Operand::Literal(s) | Operand::Deal(s) => Some(s),
            Operand::Let(i) => match self.slots.lets().get(i) {
                Some(Some(Val::Scalar(s, _))) => Some(s),
                _ => None,
            },
            Operand::Hoisted(i) => match self.slots.hoisted().get(i) {
                Some(Some(Val::Scalar(s, _))) => Some(s),
                _ => None,
            },
        }
    }

    /// `lhs op rhs` on scalars read in place; None to compute the values.
    pub(super) fn compare_in_place(&mut self, op: CmpOp, lhs: &Expr, rhs: &Expr) -> Option<Tv> {
        let a = self.operand(lhs)?;
        let b = self.operand(rhs)?;
        let (a, b) = (self.scalar(a)?, self.scalar(b)?);
        match scalar_test(op, a, b)? {
            Ok(true) => Some(Tv::True),
            Ok(false) => Some(Tv::False),
            Err(_) => Some(Tv::Unknown),
        }
    }

    /// `elem [not] in list` for an element read in place; None to compute the values.
    pub(super) fn member_in_place(
        &mut self,
        elem: &Expr,
        list: &Expr,
        negated: bool,
    ) -> Option<Tv> {
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
    /// each); None to compute the values.
    pub(super) fn each_member_in_place(
        &mut self,
        elem: &Expr,
        list: &Expr,
        negated: bool,
    ) -> Option<Tv> {
        let nodes = self.list_operand(elem)?;
        let l = self.value(list);
        let index = self.members(list, &l, nodes.len());
        let index = index.as_deref();
        let Val::List(elems, _) = &l else {
            return None;
        };
        let mut all = Tv::True;
        for n in nodes {
            // A null element is an unknown value: its test is unknown.
            let tv = match &n.value {
                NodeValue::Scalar(x) => member(x, elems, index, negated)?,
                _ => Tv::Unknown,
            };
            all = all.and(tv);
            if all == Tv::False {
                break;
            }
        }
        Some(all)
    }

    /// A condition that is a scalar read in place.
    pub(super) fn bool_in_place(&mut self, e: &Expr) -> Option<Tv> {
        let o = self.operand(e)?;
        Some(truth_of(self.scalar(o)?))
    }
}

/// `x [not] in elems` for a scalar `x`; None (the values decide) when `x` is not surely in the
/// list and an element differs from it only in case or white space.
fn member(x: &Scalar, elems: &[Elem<'_>], index: Option<&Members>, negated: bool) -> Option<Tv> {
    let found = members::find(x, elems, index, false);
    if found.tv != Tv::True && !found.loose.is_empty() {
        return None;
    }
    Some(member_tv(&found, false, negated))
}
