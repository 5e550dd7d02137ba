//! A copy of a compiled policy that shares no reference count with the original, for a thread
//! of its own. Evaluation clones the policy's texts (a clause as written, a string literal)
//! into each deal's results; when two threads clone and drop the same `Arc`, its count is a
//! cache line the two cores pass back and forth for every deal (`BENCHMARKS.md`, the
//! thirty-second and thirty-third sessions of issue 18).

use std::sync::Arc;

use super::ir::{visit_mut, Cell, Expr, ExprKind as K, Rule};
use super::Policy;
use crate::attached::Attached;

impl Policy {
    /// The same policy, every text it clones into results its own. Read-only data (sources,
    /// calendars, rate rows) stays shared; what evaluation derives from the policy once (its
    /// compiled quick pass) is made again, from the copy, on first use.
    pub fn unshared_copy(&self) -> Policy {
        let mut defs = self.defs.clone();
        let mut rules = self.rules.clone();
        let exprs = defs
            .iter_mut()
            .map(|d| &mut d.value)
            .chain(rules.iter_mut().flat_map(every_expr));
        for e in exprs {
            visit_mut(e, &mut own_texts);
        }
        Policy {
            sources: self.sources.clone(),
            files: self.files.clone(),
            schema: self.schema.clone(),
            defs,
            rules,
            order: self.order.clone(),
            date_field: self.date_field,
            proposal_field: self.proposal_field,
            hoist_slots: self.hoist_slots,
            reads_evaluation_date: self.reads_evaluation_date,
            fx: self
                .fx
                .iter()
                .map(crate::fx::RateTable::unshared_copy)
                .collect(),
            attached: Attached::default(),
        }
    }
}

/// Every expression of a rule: its clauses, its window's `on D` and its `waivable by`.
fn every_expr(rule: &mut Rule) -> impl Iterator<Item = &mut Expr> {
    rule.when
        .iter_mut()
        .chain(&mut rule.require)
        .chain(&mut rule.unless)
        .chain(&mut rule.on)
        .chain(&mut rule.waivable)
}

/// Give `e` its own copy of each text it holds (not those of the expressions inside it).
fn own_texts(e: &mut Expr) {
    let own = |t: &Arc<str>| Arc::<str>::from(&**t);
    e.text = own(&e.text);
    match &mut e.kind {
        K::Const(c) => *c = c.unshared_copy(),
        K::Per(p) => p.of = own(&p.of),
        K::Table(t) => {
            t.name = own(&t.name);
            for row in t.rows.iter_mut().chain(t.otherwise.as_deref_mut()) {
                row.text = own(&row.text);
                row.cells.iter_mut().for_each(own_cell_texts);
            }
        }
        _ => {}
    }
}

fn own_cell_texts(cell: &mut Cell) {
    match cell {
        Cell::Any => {}
        Cell::In { values, .. } => *values = values.unshared_copy(),
        Cell::Range { from, until, .. } => {
            *from = from.unshared_copy();
            if let Some(u) = until {
                *u = u.unshared_copy();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::resolve::ir::visit;
    use crate::value::Scalar;

    /// Where a text is held, its address and what it says.
    type Held = (&'static str, *const u8, String);

    /// Every text of `policy` that evaluation may clone into a deal's results.
    fn texts(policy: &Policy) -> Vec<Held> {
        let mut out: Vec<Held> = Vec::new();
        let mut hold = |kind: &'static str, text: &str| {
            out.push((kind, text.as_ptr(), text.to_string()));
        };
        let exprs = policy
            .defs
            .iter()
            .map(|d| &d.value)
            .chain(policy.rules.iter().flat_map(|r| {
                r.when
                    .iter()
                    .chain(&r.require)
                    .chain(&r.unless)
                    .chain(&r.on)
                    .chain(&r.waivable)
            }));
        for e in exprs {
            visit(e, &mut |x| {
                hold("expression", &x.text);
                match &x.kind {
                    K::Const(Scalar::Str(s)) => hold("literal", s),
                    K::Per(p) => hold("per", &p.of),
                    K::Table(t) => {
                        hold("table", &t.name);
                        for row in t.all_rows() {
                            hold("row", &row.text);
                            for cell in &row.cells {
                                if let Cell::In { values, .. } = cell {
                                    for v in values.values() {
                                        if let Scalar::Str(s) = v {
                                            hold("cell", s);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
            });
        }
        for table in &policy.fx {
            hold("fx", &table.source);
            hold("fx", &table.path);
        }
        out
    }

    /// baseline-v2 (a string literal, a table with string cells, a total per bloc, a rate
    /// table): the copy holds the same texts as the policy, each at an address of its own.
    #[test]
    fn a_copy_holds_the_same_texts_none_of_them_shared() {
        let path = crate::repo_root().join("benches/baseline-v2/baseline-v2.policy");
        let policy = crate::resolve::compile(&[path]).unwrap().policy;
        let copy = policy.unshared_copy();
        let (theirs, ours) = (texts(&policy), texts(&copy));
        let words = |t: &[Held]| {
            t.iter()
                .map(|(k, _, s)| (*k, s.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(words(&theirs), words(&ours));
        for kind in ["expression", "literal", "per", "table", "row", "cell", "fx"] {
            assert!(theirs.iter().any(|(k, ..)| *k == kind), "no {kind} text");
        }
        let shared: Vec<&Held> = theirs
            .iter()
            .zip(&ours)
            .filter(|(a, b)| a.1 == b.1)
            .map(|(a, _)| a)
            .collect();
        assert!(shared.is_empty(), "shared: {shared:?}");
    }
}
