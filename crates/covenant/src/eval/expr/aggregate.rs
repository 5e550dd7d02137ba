//! Aggregates over lists: `total`, `count of`, `max`, `min`, `average`.

use crate::number::Exact;
use crate::schema::Type;
use crate::syntax::ast::AggKind;
use crate::value::Scalar;

use super::super::note::{NeedsList, Reason};
use super::super::value::{arith, compare, unknown, why, Origin, Val};
use super::Evaluator;
use crate::resolve::ir::Expr;

/// The total of an empty list (SPEC §2.6): a zero of the unit the type checker gives the
/// aggregate (`ty`); money, whose currency the schema does not show, takes the currency it meets.
fn empty_total<'d>(ty: &Type) -> Val<'d> {
    match ty {
        Type::Number => Val::Scalar(Scalar::Number(Exact::ZERO), Origin::default()),
        Type::Percent => Val::Scalar(Scalar::Percent(Exact::ZERO), Origin::default()),
        _ => Val::Zero,
    }
}

/// `total`, `count of`, `max`, `min`, `average` (SPEC §2.4, §3.4); `ty` is the aggregate's type.
pub fn aggregate<'d>(kind: AggKind, v: &Val<'d>, ty: &Type) -> Val<'d> {
    let (elems, span) = match v {
        Val::List(elems, span) => (elems, *span),
        Val::Unknown(w) => return Val::Unknown(w.clone()),
        _ => return unknown(why(Reason::NeedsList(NeedsList::Aggregate))),
    };
    for e in elems.iter() {
        if let Some(w) = &e.maybe {
            return Val::Unknown(w.clone());
        }
        if let Val::Unknown(w) = &e.val {
            return Val::Unknown(w.clone());
        }
    }
    // A computed value has no single place in the deal; evidence points at its parts.
    let _ = span;
    let origin = Origin::default();
    let with_origin = |v: Val<'d>| match v {
        Val::Scalar(s, _) => Val::Scalar(s, origin),
        v => v,
    };
    match kind {
        AggKind::Count => Val::Scalar(Scalar::Number(Exact::from_int(elems.len() as i128)), origin),
        AggKind::Total => {
            let mut acc = empty_total(ty);
            for e in elems.iter() {
                acc = arith(crate::syntax::ast::ArithOp::Add, &acc, &e.val);
            }
            with_origin(acc)
        }
        AggKind::Max | AggKind::Min | AggKind::Average if elems.is_empty() => {
            unknown(why(Reason::EmptyList))
        }
        AggKind::Max | AggKind::Min => {
            let mut best: Option<&Val<'d>> = None;
            for e in elems.iter() {
                best = match best {
                    None => Some(&e.val),
                    Some(b) => match compare(&e.val, b) {
                        Ok(o)
                            if (kind == AggKind::Max && o.is_gt())
                                || (kind == AggKind::Min && o.is_lt()) =>
                        {
                            Some(&e.val)
                        }
                        Ok(_) => Some(b),
                        Err(w) => return unknown(w),
                    },
                };
            }
            best.cloned()
                .unwrap_or_else(|| unknown(why(Reason::EmptyList)))
        }
        AggKind::Average => {
            let total = aggregate(AggKind::Total, v, ty);
            let n = Val::Scalar(
                Scalar::Number(Exact::from_int(elems.len() as i128)),
                Origin::default(),
            );
            with_origin(arith(crate::syntax::ast::ArithOp::Div, &total, &n))
        }
    }
}

impl<'d> Evaluator<'d> {
    /// `total` of a projection read in place (see [`Evaluator::projection`]): what
    /// [`aggregate`] gives on the projected list, without building it. Elements are taken in
    /// order; the first whose membership or value is unknown gives the unknown, as
    /// [`aggregate`]'s check before it adds (adding has no effect to undo). None for any other
    /// aggregate or argument.
    pub(super) fn total_in_place(
        &mut self,
        kind: AggKind,
        arg: &Expr,
        ty: &Type,
    ) -> Option<Val<'d>> {
        if kind != AggKind::Total {
            return None;
        }
        let (elems, step) = self.projection(arg)?;
        let mut acc = empty_total(ty);
        for e in elems.iter() {
            if let Some(w) = &e.maybe {
                return Some(Val::Unknown(w.clone()));
            }
            let x = self.step(&e.val, step);
            if let Val::Unknown(w) = &x {
                return Some(Val::Unknown(w.clone()));
            }
            acc = arith(crate::syntax::ast::ArithOp::Add, &acc, &x);
        }
        Some(match acc {
            Val::Scalar(s, _) => Val::Scalar(s, Origin::default()),
            v => v,
        })
    }
}
