//! For tests and tools: each condition of each rule on one deal, its compiled truth next to
//! the evaluator's, so that a test can check the one is either None or the other.

use jiff::civil::Date;

use crate::deal::tree::Deal;
use crate::resolve::ir::Expr;
use crate::resolve::Policy;

use super::super::expr::{Evaluator, Quick, Tv};
use super::form::Cond;
use super::Memo;

/// Which clause of a rule a condition is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clause {
    When,
    Unless,
    Require,
}

/// One condition of one rule on one deal: the compiled pass's truth (None: left to the
/// evaluator, or no compiled form) and the evaluator's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    pub rule: usize,
    pub clause: Clause,
    pub index: usize,
    /// The condition has a compiled form.
    pub has_form: bool,
    pub compiled: Option<Tv>,
    pub evaluated: Tv,
}

/// One clause of a rule: which, its conditions, and their compiled forms when the rule has
/// them.
type Clauses<'p> = (Clause, &'p [Expr], Option<&'p [Option<Cond>]>);

/// Every condition of every rule of `policy` on `deal`, in evaluation order, each decided by
/// the compiled pass and by the evaluator's truth-only pass at the rule's evaluation date.
pub fn agreements(policy: &Policy, deal: &Deal, as_of: Option<Date>) -> Vec<Agreement> {
    let mut ev = Evaluator::new(policy, deal);
    let mut memo = Memo::new(policy);
    let mut out = Vec::new();
    for &index in &policy.order {
        let Some(rule) = policy.rules.get(index) else {
            continue;
        };
        let date = super::super::rule_date(&mut ev, rule, as_of);
        ev.set_evaluation_date(date.as_ref().ok().copied(), date.as_ref().err().cloned());
        let forms = memo.forms(policy, rule);
        let clauses: [Clauses<'_>; 3] = [
            (Clause::When, &rule.when, forms.map(|f| f.when.as_slice())),
            (
                Clause::Unless,
                &rule.unless,
                forms.map(|f| f.unless.as_slice()),
            ),
            (
                Clause::Require,
                &rule.require,
                forms.map(|f| f.require.as_slice()),
            ),
        ];
        for (clause, exprs, forms) in clauses {
            for (i, e) in exprs.iter().enumerate() {
                let form = forms.and_then(|f| f.get(i)?.as_ref());
                let compiled = form.and_then(|f| memo.truth(deal, Some(&ev), f));
                out.push(Agreement {
                    rule: index,
                    clause,
                    index: i,
                    has_form: form.is_some(),
                    compiled,
                    evaluated: ev.truth::<Quick>(e).tv,
                });
            }
        }
    }
    out
}
