//! Aggregates over lists: `total`, `count of`, `max`, `min`, `average`.

use crate::syntax::ast::AggKind;
use crate::value::Scalar;

use super::super::value::{arith, compare, note, unknown, Origin, Val};

/// `total`, `count of`, `max`, `min`, `average` (SPEC §2.4, §3.4).
pub fn aggregate<'d>(kind: AggKind, v: &Val<'d>) -> Val<'d> {
    let (elems, span) = match v {
        Val::List(elems, span) => (elems, *span),
        Val::Unknown(w) => return Val::Unknown(w.clone()),
        _ => return unknown(note("an aggregate needs a list")),
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
        AggKind::Count => Val::Scalar(
            Scalar::Number(crate::number::Exact::from_int(elems.len() as i128)),
            origin,
        ),
        AggKind::Total => {
            let mut acc = Val::Zero;
            for e in elems.iter() {
                acc = arith(crate::syntax::ast::ArithOp::Add, &acc, &e.val);
            }
            with_origin(acc)
        }
        AggKind::Max | AggKind::Min | AggKind::Average if elems.is_empty() => {
            unknown(note("empty list"))
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
            best.cloned().unwrap_or_else(|| unknown(note("empty list")))
        }
        AggKind::Average => {
            let total = aggregate(AggKind::Total, v);
            let n = Val::Scalar(
                Scalar::Number(crate::number::Exact::from_int(elems.len() as i128)),
                Origin::default(),
            );
            with_origin(arith(crate::syntax::ast::ArithOp::Div, &total, &n))
        }
    }
}
