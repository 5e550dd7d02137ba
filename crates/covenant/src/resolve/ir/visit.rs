//! Walking the typed IR.

use super::{Base, Expr, ExprKind as K};
use crate::schema::Schema;

/// Call `f` on `e` and every expression inside it.
pub fn visit(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match &e.kind {
        K::Const(_) | K::Path { .. } | K::Item | K::Presence { .. } => {}
        K::List(xs) => xs.iter().for_each(|x| visit(x, f)),
        K::Project { list, .. } => visit(list, f),
        K::Filter { list, cond } => {
            visit(list, f);
            visit(cond, f);
        }
        K::Quant {
            list, cond, body, ..
        } => {
            visit(list, f);
            cond.iter().chain(body).for_each(|x| visit(x, f));
        }
        K::Aggregate { arg, .. } | K::Not(arg) => visit(arg, f),
        K::Arith { first, rest } => {
            visit(first, f);
            rest.iter().for_each(|(_, t)| visit(t, f));
        }
        K::Compare { lhs, rhs, .. } => {
            visit(lhs, f);
            visit(rhs, f);
        }
        K::And(terms) | K::Or(terms) => {
            for t in terms {
                visit(t, f);
            }
        }
        K::In { elem, list, .. } => {
            visit(elem, f);
            visit(list, f);
        }
        K::Within {
            lhs,
            tolerance,
            rhs,
            ..
        } => {
            visit(lhs, f);
            visit(tolerance, f);
            visit(rhs, f);
        }
        K::Must { subject, pred, .. } => {
            visit(subject, f);
            visit(pred, f);
        }
        K::LookThrough(l) => {
            visit(&l.holders, f);
            l.target.iter().for_each(|t| visit(t, f));
            l.control.iter().for_each(|c| visit(&c.threshold, f));
        }
        K::Per(p) => {
            visit(&p.source, f);
            visit(&p.key, f);
        }
        K::DateShift(d) => {
            visit(&d.date, f);
            visit(&d.count, f);
        }
        K::DaysBetween { later, earlier } => {
            visit(later, f);
            visit(earlier, f);
        }
        K::YearOf(arg) => visit(arg, f),
        K::EvaluationDate => {}
        K::Convert(c) => {
            visit(&c.amount, f);
            c.on.iter().for_each(|d| visit(d, f));
        }
        K::Table(t) => {
            t.keys.iter().for_each(|k| visit(k, f));
            for row in t.all_rows() {
                row.cells
                    .iter()
                    .flat_map(|c| c.sources())
                    .for_each(|x| visit(x, f));
                visit(&row.value, f);
            }
        }
    }
}

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
