//! Quantifiers (`every`, `some`, `no`, `at least`…) and `must` predicates.

use std::rc::Rc;

use crate::resolve::ir::Expr;
use crate::syntax::ast::QuantKind;

use super::super::note::{NeedsList, Note, Reason, Vacuous};
use super::super::value::{why, Elem, Val};
use super::judgement::{and, implies, Fact, Judgement, Parts, Tv};
use super::Evaluator;

impl<'d> Evaluator<'d> {
    pub(super) fn quantifier(
        &mut self,
        kind: QuantKind,
        list: &Expr,
        cond: Option<&Expr>,
        body: Option<&Expr>,
        item_name: &str,
    ) -> Judgement<'d> {
        let v = self.value(list);
        let elems = match v {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => return self.unknown_judgement(w),
            _ => {
                return self
                    .unknown_judgement(Rc::new(why(Reason::NeedsList(NeedsList::Quantifier))))
            }
        };
        if !self.collect {
            return Judgement::of(self.quantifier_tv(kind, &elems, cond, body));
        }
        let listed = self.listed(list);
        // Per element: membership (condition and filter maybe) and the body's truth, combined
        // as they come.
        let mut parts = Parts::new();
        for e in elems.iter() {
            if parts.any_full() {
                // Past the elements whose facts are kept, the truth value is all that counts:
                // found without facts, and with them only if they would be kept.
                let collect = std::mem::replace(&mut self.collect, false);
                let (m, b) = self.element(e, cond, body);
                self.collect = collect;
                let tv = match kind {
                    QuantKind::Every if m.tv == Tv::False => continue,
                    QuantKind::Every => m.tv.negate().or(b.tv),
                    _ => m.tv.and(b.tv),
                };
                if !parts.wants(tv) {
                    parts.count_only(tv);
                    continue;
                }
            }
            let (m, b) = self.element(e, cond, body);
            match kind {
                // Elements outside the filter are not members: they do not count.
                QuantKind::Every if m.tv == Tv::False => {}
                QuantKind::Every => parts.push(implies(m, b)),
                _ => parts.push(and(m, b)),
            }
        }
        match kind {
            QuantKind::Every => {
                let members =
                    parts.count(Tv::True) + parts.count(Tv::False) + parts.count(Tv::Unknown);
                let mut j = parts.every(&listed);
                if members == 0 {
                    j.facts.push(Fact::Note(Note::Vacuous(Vacuous::NoItems(
                        item_name.into(),
                    ))));
                }
                j
            }
            QuantKind::Some | QuantKind::No => {
                let none = parts.count(Tv::True) + parts.count(Tv::Unknown) == 0;
                let mut j = parts.some(&listed);
                if none {
                    j.facts.push(Fact::Note(Note::NoneMatches {
                        item: item_name.into(),
                    }));
                }
                if kind == QuantKind::No {
                    j.tv = j.tv.negate();
                }
                j
            }
            QuantKind::AtLeast(n) | QuantKind::AtMost(n) | QuantKind::Exactly(n) => {
                let sure = parts.count(Tv::True) as u64;
                let maybe = parts.count(Tv::Unknown) as u64;
                let tv = count_tv(kind, n, sure, maybe);
                let which = match tv {
                    Tv::Unknown => Tv::Unknown,
                    _ => Tv::True,
                };
                let mut facts = vec![Fact::Note(Note::Counted {
                    item: item_name.into(),
                    sure,
                    maybe,
                })];
                facts.extend(parts.take(which, &listed).facts);
                Judgement { tv, facts }
            }
        }
    }

    /// One element of a quantifier: its membership (the condition, and the maybe of a filter)
    /// and the body's truth (true for a non-member).
    fn element(
        &mut self,
        e: &Elem<'d>,
        cond: Option<&Expr>,
        body: Option<&Expr>,
    ) -> (Judgement<'d>, Judgement<'d>) {
        self.items.push(e.val.clone());
        let mut m = match cond {
            Some(c) => self.truth(c),
            None => Judgement::of(Tv::True),
        };
        if let Some(w) = &e.maybe {
            if m.tv == Tv::True {
                m.tv = Tv::Unknown;
                if self.collect {
                    m.facts.push(Fact::Unknown(w.clone()));
                }
            }
        }
        let b = match (m.tv, body) {
            (Tv::False, _) => Judgement::of(Tv::True),
            (_, Some(p)) => self.truth(p),
            (_, None) => Judgement::of(Tv::True),
        };
        self.items.pop();
        (m, b)
    }

    /// A quantifier's truth value alone: no facts, and the first deciding element ends it.
    fn quantifier_tv(
        &mut self,
        kind: QuantKind,
        elems: &[Elem<'d>],
        cond: Option<&Expr>,
        body: Option<&Expr>,
    ) -> Tv {
        let (mut sure, mut maybe, mut unknown) = (0u64, 0u64, false);
        for e in elems {
            self.items.push(e.val.clone());
            let mut m = match cond {
                Some(c) => self.truth(c).tv,
                None => Tv::True,
            };
            if e.maybe.is_some() && m == Tv::True {
                m = Tv::Unknown;
            }
            let b = match (m, body) {
                (Tv::False, _) | (_, None) => Tv::True,
                (_, Some(p)) => self.truth(p).tv,
            };
            self.items.pop();
            match kind {
                QuantKind::Every if m == Tv::False => {}
                QuantKind::Every => match m.negate().or(b) {
                    Tv::False => return Tv::False,
                    Tv::Unknown => unknown = true,
                    Tv::True => {}
                },
                QuantKind::Some | QuantKind::No => match m.and(b) {
                    Tv::True if kind == QuantKind::No => return Tv::False,
                    Tv::True => return Tv::True,
                    Tv::Unknown => unknown = true,
                    Tv::False => {}
                },
                QuantKind::AtLeast(_) | QuantKind::AtMost(_) | QuantKind::Exactly(_) => {
                    match m.and(b) {
                        Tv::True => sure += 1,
                        Tv::Unknown => maybe += 1,
                        Tv::False => {}
                    }
                }
            }
        }
        match kind {
            _ if unknown => Tv::Unknown,
            QuantKind::Every | QuantKind::No => Tv::True,
            QuantKind::Some => Tv::False,
            QuantKind::AtLeast(n) | QuantKind::AtMost(n) | QuantKind::Exactly(n) => {
                count_tv(kind, n, sure, maybe)
            }
        }
    }

    pub(super) fn must(
        &mut self,
        e: &Expr,
        subject: &Expr,
        negated: bool,
        pred: &Expr,
        each: bool,
    ) -> Judgement<'d> {
        let s = self.value(subject);
        let test = |this: &mut Self, x: &Val<'d>| {
            this.items.push(x.clone());
            let j = this.truth(pred);
            this.items.pop();
            if negated {
                Judgement {
                    tv: j.tv.negate(),
                    facts: j.facts,
                }
            } else {
                j
            }
        };
        let mut j = if each {
            let n = match &s {
                Val::List(l, _) => l.len(),
                _ => 1,
            };
            let mut j = self.each_of(subject, s, test);
            if self.collect && n == 0 {
                j.facts.push(Fact::Note(Note::Vacuous(Vacuous::Empty(
                    subject.text.clone(),
                ))));
            }
            j
        } else {
            test(self, &s)
        };
        let _ = e;
        if !self.collect {
            j.facts.clear();
        }
        j
    }
}

/// The truth of a counting quantifier with `sure` elements that match and `maybe` that may.
fn count_tv(kind: QuantKind, n: u64, sure: u64, maybe: u64) -> Tv {
    let (lo, hi) = (sure, sure + maybe);
    match kind {
        QuantKind::AtLeast(_) if lo >= n => Tv::True,
        QuantKind::AtLeast(_) if hi < n => Tv::False,
        QuantKind::AtMost(_) if hi <= n => Tv::True,
        QuantKind::AtMost(_) if lo > n => Tv::False,
        QuantKind::Exactly(_) if lo == n && hi == n => Tv::True,
        QuantKind::Exactly(_) if lo > n || hi < n => Tv::False,
        _ => Tv::Unknown,
    }
}
