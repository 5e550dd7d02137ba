//! Walking the typed IR.

use super::{Base, Expr, ExprKind as K};
use crate::schema::Schema;

/// `visit` and `visit_mut`, written once: `$($m)?` is empty for shared references and `mut`
/// for unique ones; `$iter` and `$sources` are the matching iterator and [`super::Cell`]
/// accessor.
macro_rules! walker {
    ($(#[$doc:meta])* $name:ident, $iter:ident, $sources:ident $(, $m:ident)?) => {
        $(#[$doc])*
        pub fn $name(e: &$($m)? Expr, f: &mut dyn FnMut(&$($m)? Expr)) {
            f(&$($m)? *e);
            match &$($m)? e.kind {
                K::Const(_)
                | K::Path { .. }
                | K::Item
                | K::Presence { .. }
                | K::EvaluationDate => {}
                K::List(xs) | K::And(xs) | K::Or(xs) => {
                    for x in xs {
                        $name(x, f);
                    }
                }
                K::Project { list: x, .. }
                | K::Aggregate { arg: x, .. }
                | K::Not(x)
                | K::YearOf(x) => $name(x, f),
                K::Filter { list: a, cond: b }
                | K::Compare { lhs: a, rhs: b, .. }
                | K::In { elem: a, list: b, .. }
                | K::Must { subject: a, pred: b, .. }
                | K::DaysBetween { later: a, earlier: b } => {
                    $name(a, f);
                    $name(b, f);
                }
                K::Quant {
                    list, cond, body, ..
                } => {
                    $name(list, f);
                    for x in [cond, body].into_iter().flatten() {
                        $name(x, f);
                    }
                }
                K::Arith { first, rest } => {
                    $name(first, f);
                    for (_, t) in rest {
                        $name(t, f);
                    }
                }
                K::Within {
                    lhs,
                    tolerance,
                    rhs,
                    ..
                } => {
                    $name(lhs, f);
                    $name(tolerance, f);
                    $name(rhs, f);
                }
                K::LookThrough(l) => {
                    $name(&$($m)? l.holders, f);
                    if let Some(t) = &$($m)? l.target {
                        $name(t, f);
                    }
                    if let Some(c) = &$($m)? l.control {
                        $name(&$($m)? c.threshold, f);
                    }
                }
                K::Per(p) => {
                    $name(&$($m)? p.source, f);
                    $name(&$($m)? p.key, f);
                }
                K::DateShift(d) => {
                    $name(&$($m)? d.date, f);
                    $name(&$($m)? d.count, f);
                }
                K::Convert(c) => {
                    $name(&$($m)? c.amount, f);
                    if let Some(d) = &$($m)? c.on {
                        $name(d, f);
                    }
                }
                K::Table(t) => {
                    for k in &$($m)? t.keys {
                        $name(k, f);
                    }
                    let otherwise = t.otherwise.$iter();
                    for row in (&$($m)? t.rows).into_iter().chain(otherwise.map(|r| &$($m)? **r)) {
                        for x in row.cells.$iter().flat_map(super::Cell::$sources) {
                            $name(x, f);
                        }
                        $name(&$($m)? row.value, f);
                    }
                }
            }
        }
    };
}

walker!(
    /// Call `f` on `e` and every expression inside it.
    visit,
    iter,
    sources
);
walker!(
    /// Call `f` on `e` and every expression inside it, each of which it may change.
    visit_mut,
    iter_mut,
    sources_mut,
    mut
);

/// The definitions an expression names directly: `let`s by name, item definitions (SPEC
/// §8) as the fields its phrases step into.
pub fn definitions_named(schema: &Schema, e: &Expr, out: &mut Vec<usize>) {
    visit(e, &mut |x| {
        let steps = match &x.kind {
            K::Path { base, steps } | K::Presence { base, steps, .. } => {
                if let Base::Let(i) = base {
                    out.push(*i);
                }
                steps
            }
            // Steps read on the items of a list: they may name item definitions too.
            K::Project { steps, .. } => steps,
            K::Per(p) => &p.tail,
            _ => return,
        };
        for s in steps {
            let field = schema.record(s.record).fields.get(s.field);
            out.extend(field.and_then(|f| super::super::phrase::define_of(schema, f)));
        }
    });
}
