//! A copy of a compiled policy for a thread of its own, with its own copy of every text that
//! evaluation clones into a deal's results (a clause as written, a string literal, a table's
//! row, a policy file's name). When two threads clone and drop the same `Arc`, its count is a
//! cache line their two cores pass back and forth for every deal (`BENCHMARKS.md`, "Issue 18:
//! thirty-second session" and "thirty-third session").

use std::sync::Arc;

use super::ir::{visit_mut, Cell, Expr, ExprKind as K, Rule};
use super::Policy;
use crate::attached::Attached;
use crate::lookup::FastMap;

impl Policy {
    /// The same policy, with its own copy of every text evaluation clones into results. The
    /// schema is cloned (its load plan is made again at the copy's first deal), and what
    /// evaluation derives from the policy once (its compiled quick pass) is made again from the
    /// copy on first use. What evaluation only reads stays shared: the policy files' texts and
    /// line indexes, calendars, a rate table's rows.
    pub fn unshared_copy(&self) -> Policy {
        let mut texts = Texts::default();
        let mut defs = self.defs.clone();
        let mut rules = self.rules.clone();
        let exprs = defs
            .iter_mut()
            .map(|d| &mut d.value)
            .chain(rules.iter_mut().flat_map(every_expr));
        for e in exprs {
            visit_mut(e, &mut |e| texts.of_expr(e));
        }
        let mut own = |t: &Arc<str>| texts.own(t);
        Policy {
            sources: self
                .sources
                .iter()
                .map(|s| s.with_name(own(&s.name)))
                .collect(),
            files: self.files.clone(),
            schema: self.schema.clone(),
            defs,
            rules,
            order: self.order.clone(),
            date_field: self.date_field,
            proposal_field: self.proposal_field,
            hoist_slots: self.hoist_slots,
            reads_evaluation_date: self.reads_evaluation_date,
            fx: self.fx.iter().map(|t| t.with_texts(&mut own)).collect(),
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

/// The copies made so far, by the address of the text copied: a text the original shares
/// between expressions (the lowerer gives a node and its parts one `Arc`) is shared the same
/// way in the copy.
#[derive(Default)]
struct Texts(FastMap<*const u8, Arc<str>>);

impl Texts {
    fn own(&mut self, text: &Arc<str>) -> Arc<str> {
        let copy = self
            .0
            .entry(text.as_ptr())
            .or_insert_with(|| Arc::from(&**text));
        Arc::clone(copy)
    }

    /// Give `e` its own copy of each text it holds (not those of the expressions inside it).
    fn of_expr(&mut self, e: &mut Expr) {
        e.text = self.own(&e.text);
        match &mut e.kind {
            K::Const(c) => *c = c.unshared_copy(),
            K::Per(p) => p.of = self.own(&p.of),
            K::Table(t) => {
                t.name = self.own(&t.name);
                for row in t.rows.iter_mut().chain(t.otherwise.as_deref_mut()) {
                    row.text = self.own(&row.text);
                    row.cells.iter_mut().for_each(own_cell_texts);
                }
            }
            _ => {}
        }
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

    use std::collections::HashMap;

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
        let rule_exprs = |r| crate::resolve::hoist::rule_exprs_ref(r).chain(&r.waivable);
        let exprs = policy
            .defs
            .iter()
            .map(|d| &d.value)
            .chain(policy.rules.iter().flat_map(rule_exprs));
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
        for source in &policy.sources {
            hold("file", &source.name);
        }
        out
    }

    /// baseline-v2 (a string literal, a table with string cells, a total per bloc, a rate
    /// table): the copy is the same policy, and holds the same texts, each at an address of its
    /// own, shared between its expressions where the policy's are.
    #[test]
    fn a_copy_holds_the_same_texts_none_of_them_shared() {
        let path = crate::repo_root().join("benches/baseline-v2/baseline-v2.policy");
        let policy = crate::resolve::compile(&[path]).unwrap().policy;
        let copy = policy.unshared_copy();
        // Every field, as printed (a kept compiled pass and load plan print as constants).
        assert_eq!(format!("{policy:?}"), format!("{copy:?}"));
        let (theirs, ours) = (texts(&policy), texts(&copy));
        let words = |t: &[Held]| {
            t.iter()
                .map(|(k, _, s)| (*k, s.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(words(&theirs), words(&ours));
        for kind in [
            "expression",
            "literal",
            "per",
            "table",
            "row",
            "cell",
            "fx",
            "file",
        ] {
            assert!(theirs.iter().any(|(k, ..)| *k == kind), "no {kind} text");
        }
        let shared: Vec<&Held> = theirs
            .iter()
            .zip(&ours)
            .filter(|(a, b)| a.1 == b.1)
            .map(|(a, _)| a)
            .collect();
        assert!(shared.is_empty(), "shared: {shared:?}");
        // One copy for each `Arc<str>` of the policy, however many expressions hold it (a
        // string value, a literal's or a cell's, is copied where it is).
        let arc = |t: &&Held| !matches!(t.0, "literal" | "cell");
        let mut copies: HashMap<*const u8, *const u8> = HashMap::new();
        for (a, b) in theirs.iter().zip(&ours).filter(|(a, _)| arc(a)) {
            assert_eq!(*copies.entry(a.1).or_insert(b.1), b.1, "{a:?}");
        }
        let distinct = |h: &[Held]| {
            let all = h.iter().filter(arc).map(|t| t.1);
            all.collect::<std::collections::HashSet<_>>().len()
        };
        assert_eq!(distinct(&theirs), distinct(&ours));
        let held = theirs.iter().filter(arc).count();
        assert!(distinct(&theirs) < held, "no text held twice");
    }
}
