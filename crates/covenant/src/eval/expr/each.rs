//! Implicit each: a test on every element of a list side, every element must hold.

use std::rc::Rc;

use crate::resolve::ir::Expr;

use super::super::value::{Val, Why};
use super::collect::{Collect, Facts, Quick, Record};
use super::fact::{Fact, Tv};
use super::judgement::{Judgement, Parts};
use super::Evaluator;

/// An element's truth in an each: an element whose membership is unknown (`maybe`, from a
/// filter that was unknown) can only make the result unknown.
pub(super) fn element_tv(maybe: Option<&Rc<Why>>, tv: Tv) -> Tv {
    match (maybe, tv) {
        (Some(_), Tv::False | Tv::Unknown) => Tv::Unknown,
        (_, tv) => tv,
    }
}

impl<'d> Evaluator<'d> {
    /// `test` on every element of `value`, the list side written `list` (implicit each):
    /// false if an element is, else unknown if one is, else true. `quick` is the same test
    /// for a truth value alone: past the elements whose facts are kept, it finds an element's
    /// truth before its facts are collected (only if they are kept).
    pub(super) fn each_of<C: Collect>(
        &mut self,
        list: &Expr,
        value: Val<'d>,
        mut quick: impl FnMut(&mut Self, &Val<'d>) -> Judgement<'d, Quick>,
        mut test: impl FnMut(&mut Self, &Val<'d>) -> Judgement<'d, C>,
    ) -> Judgement<'d, C> {
        let elems = match value {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => return self.unknown_judgement(w),
            other => return test(self, &other),
        };
        // Where a party-scoped approval covers (SPEC §10), its elements meet the test.
        let covered = self.covered(list, &elems).unwrap_or_default();
        let is_covered = |i: usize| covered.get(i) == Some(&true);
        if !C::FACTS {
            // Only the truth value: the first false element decides.
            let mut all = Tv::True;
            for (_, e) in elems.iter().enumerate().filter(|(i, _)| !is_covered(*i)) {
                all = all.and(element_tv(e.maybe.as_ref(), test(self, &e.val).tv));
                if all == Tv::False {
                    break;
                }
            }
            return Judgement::of(all);
        }
        let mut record = Vec::new();
        let mut parts = Parts::new();
        let derived = self.derivation(list);
        for (i, e) in elems.iter().enumerate().filter(|(i, _)| !is_covered(*i)) {
            let past = parts.any_full();
            if past {
                let tv = quick(self, &e.val).tv;
                if C::TRACE {
                    record.push((e.val.clone(), tv));
                }
                let tv = element_tv(e.maybe.as_ref(), tv);
                if !parts.wants(tv) {
                    parts.count_only(tv);
                    continue;
                }
            }
            let mut j = test(self, &e.val);
            if let Some(f) = self.derived_fact(&derived, i) {
                j.facts.push(|| f);
            }
            if C::TRACE && !past {
                record.push((e.val.clone(), j.tv));
            }
            if let (Some(w), Tv::False | Tv::Unknown) = (&e.maybe, j.tv) {
                j.tv = Tv::Unknown;
                j.facts.push(|| Fact::Unknown(w.clone()));
            }
            parts.push(j);
        }
        let mut j = parts.every(|| self.listed(list));
        j.facts.record(|| Record::Each(record));
        j
    }
}
